//===- NLogicEnums.td - nlogic function catalogues ----------*- tablegen -*-===//
//
// The catalogues of combination, transformation and aggregation functions,
// constraints, term arithmetic and weight initialisers, as enum attributes.
// The spellings follow PyNeuraLogic's names.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_DIALECT_NLOGIC_IR_NLOGICENUMS_TD
#define NLOGIC_DIALECT_NLOGIC_IR_NLOGICENUMS_TD

include "nlogic/Dialect/NLogic/IR/NLogicBase.td"
include "mlir/IR/EnumAttr.td"

def NLogic_Combination : I32EnumAttr<"Combination",
    "how the weighted inputs of one neuron are combined", [
  I32EnumAttrCase<"sum", 0>, I32EnumAttrCase<"product", 1>,
  I32EnumAttrCase<"elproduct", 2>, I32EnumAttrCase<"avg", 3>,
  I32EnumAttrCase<"max", 4>, I32EnumAttrCase<"min", 5>,
  I32EnumAttrCase<"count", 6>, I32EnumAttrCase<"concat", 7>,
  I32EnumAttrCase<"crosssum", 8>, I32EnumAttrCase<"cossim", 9>,
  I32EnumAttrCase<"softmax", 10>, I32EnumAttrCase<"sparsemax", 11>]> {
  let cppNamespace = "::mlir::nlogic";
  let genSpecializedAttr = 0;
}
def NLogic_CombinationAttr : EnumAttr<NLogic_Dialect, NLogic_Combination,
                                      "combination">;

def NLogic_Transformation : I32EnumAttr<"Transformation",
    "the function applied to a combined value", [
  I32EnumAttrCase<"identity", 0>, I32EnumAttrCase<"sigmoid", 1>,
  I32EnumAttrCase<"tanh", 2>, I32EnumAttrCase<"signum", 3>,
  I32EnumAttrCase<"relu", 4>, I32EnumAttrCase<"leaky_relu", 5>,
  I32EnumAttrCase<"lukasiewicz", 6>, I32EnumAttrCase<"exp", 7>,
  I32EnumAttrCase<"sqrt", 8>, I32EnumAttrCase<"inverse", 9>,
  I32EnumAttrCase<"reverse", 10>, I32EnumAttrCase<"log", 11>,
  I32EnumAttrCase<"transpose", 12>, I32EnumAttrCase<"softmax", 13>,
  I32EnumAttrCase<"sparsemax", 14>, I32EnumAttrCase<"norm", 15>,
  I32EnumAttrCase<"slice", 16>, I32EnumAttrCase<"reshape", 17>]> {
  let cppNamespace = "::mlir::nlogic";
  let genSpecializedAttr = 0;
}
def NLogic_TransformationAttr : EnumAttr<NLogic_Dialect, NLogic_Transformation,
                                         "transformation">;

def NLogic_Aggregation : I32EnumAttr<"Aggregation",
    "how the values of all substitutions of one head atom are aggregated", [
  I32EnumAttrCase<"sum", 0>, I32EnumAttrCase<"avg", 1>,
  I32EnumAttrCase<"max", 2>, I32EnumAttrCase<"min", 3>,
  I32EnumAttrCase<"count", 4>, I32EnumAttrCase<"concat", 5>,
  I32EnumAttrCase<"softmax", 6>]> {
  let cppNamespace = "::mlir::nlogic";
  let genSpecializedAttr = 0;
}
def NLogic_AggregationAttr : EnumAttr<NLogic_Dialect, NLogic_Aggregation,
                                      "aggregation">;

def NLogic_ConstraintKind : I32EnumAttr<"ConstraintKind",
    "builtin relations that restrict substitutions", [
  I32EnumAttrCase<"leq", 0>, I32EnumAttrCase<"lt", 1>,
  I32EnumAttrCase<"geq", 2>, I32EnumAttrCase<"gt", 3>,
  I32EnumAttrCase<"eq", 4>, I32EnumAttrCase<"neq", 5>,
  I32EnumAttrCase<"next", 6>, I32EnumAttrCase<"alldiff", 7>]> {
  let cppNamespace = "::mlir::nlogic";
  let genSpecializedAttr = 0;
}
def NLogic_ConstraintKindAttr : EnumAttr<NLogic_Dialect, NLogic_ConstraintKind,
                                         "constraint">;

def NLogic_ArithKind : I32EnumAttr<"ArithKind",
    "integer arithmetic on terms", [
  I32EnumAttrCase<"add", 0>, I32EnumAttrCase<"sub", 1>,
  I32EnumAttrCase<"mul", 2>, I32EnumAttrCase<"div", 3>,
  I32EnumAttrCase<"mod", 4>]> {
  let cppNamespace = "::mlir::nlogic";
  let genSpecializedAttr = 0;
}
def NLogic_ArithKindAttr : EnumAttr<NLogic_Dialect, NLogic_ArithKind, "arith">;

def NLogic_Initializer : I32EnumAttr<"Initializer",
    "how a learnable weight without a value is initialised", [
  I32EnumAttrCase<"uniform", 0>, I32EnumAttrCase<"normal", 1>,
  I32EnumAttrCase<"glorot", 2>, I32EnumAttrCase<"he", 3>,
  I32EnumAttrCase<"constant", 4>, I32EnumAttrCase<"longtail", 5>]> {
  let cppNamespace = "::mlir::nlogic";
  let genSpecializedAttr = 0;
}
def NLogic_InitializerAttr : EnumAttr<NLogic_Dialect, NLogic_Initializer,
                                      "initializer">;

#endif // NLOGIC_DIALECT_NLOGIC_IR_NLOGICENUMS_TD
