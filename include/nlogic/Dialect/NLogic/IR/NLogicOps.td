//===- NLogicOps.td - nlogic operations ---------------------*- tablegen -*-===//
//
// Operations of the nlogic dialect: the template symbol table, its
// declarations (relations, weights, facts), rules with their join / map /
// reduce parts, and samples with queries.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_DIALECT_NLOGIC_IR_NLOGICOPS_TD
#define NLOGIC_DIALECT_NLOGIC_IR_NLOGICOPS_TD

include "nlogic/Dialect/NLogic/IR/NLogicBase.td"
include "nlogic/Dialect/NLogic/IR/NLogicTypes.td"
include "nlogic/Dialect/NLogic/IR/NLogicEnums.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// A constant logic term as an attribute: an atom name or a number.
def NLogic_TermAttr : AnyAttrOf<[StrAttr, I64Attr, F64Attr]>;
def NLogic_TermArrayAttr : TypedArrayAttrBase<AnyAttr, "array of constant terms">;

//===----------------------------------------------------------------------===//
// Template and declarations
//===----------------------------------------------------------------------===//

def NLogic_TemplateOp : NLogic_Op<"template", [
    Symbol, SymbolTable, IsolatedFromAbove, NoTerminator, SingleBlock,
    NoRegionArguments]> {
  let summary = "a template: the symbol table of one logic program";
  let description = [{
    Holds every relation, weight, template fact and rule of one template,
    and optionally samples (`nlogic.sample`) to ground it against. Symbols
    (relations and weights) are unique within the template.

    The template also checks that negation is stratifiable: a relation may
    not depend negatively on itself through any chain of rules.

    Example:
    ```mlir
    nlogic.template @xor {
      nlogic.relation @xy arity 0 : tensor<*xf64>
      nlogic.relation @xor arity 0 : tensor<1xf64> transform tanh
      nlogic.weight @w0 : tensor<1x8xf64>
      nlogic.weight @w1 : tensor<8x2xf64>
      nlogic.rule @xor vars() weight @w0 {
        %0 = nlogic.atom @xy() : tensor<*xf64>
        %1 = nlogic.weigh @w1, %0 : tensor<*xf64> -> tensor<8xf64>
        %2 = nlogic.combine sum(%1) : (tensor<8xf64>) -> tensor<8xf64>
        %3 = nlogic.transform tanh %2 : tensor<8xf64> -> tensor<8xf64>
        nlogic.head() = %3 : tensor<8xf64>
      }
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    /// The relations of the template, in declaration order.
    auto getRelations() { return getBody().getOps<RelationOp>(); }
    /// The rules of the template, in declaration order.
    auto getRules() { return getBody().getOps<RuleOp>(); }
  }];
}

def NLogic_RelationOp : NLogic_Op<"relation", [
    Symbol, HasParent<"TemplateOp">,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "declares a relation (predicate): arity, value type, settings";
  let description = [{
    Declares the relation `name/arity`. The symbol is the predicate's name
    when it is used with a single arity; NeuraLogic allows one name with
    several arities (`shape/2`, `shape/3`), and then the symbol is
    `"name/arity"` and `predicate` keeps the written name.

    * `value_type`: the value of every atom of the relation; `tensor<*xf64>`
      when it depends on the data.
    * `hidden`: the relation is used for grounding only (NeuraLogic's `*`
      prefix, PyNeuraLogic's `R.hidden`): its atoms create no neurons.
    * `transform`, `combine`: the atom neuron's transformation and the
      combination of its rules' contributions (PyNeuraLogic's relation
      settings `R.h / 1 | [F.tanh]`). Absent means `identity` and `sum`
      (the NeuraLogic importer always writes them, NeuraLogic's default
      transformation being `tanh`).
    * `offset`: a weight added to the atom neuron (NeuraLogic's
      `name/arity {3,1}` line).

    Example:
    ```mlir
    nlogic.relation @atom_embed arity 1 : tensor<3xf64> transform tanh offset @w7
    nlogic.relation @next arity 2 hidden : tensor<*xf64>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$arity,
                       TypeAttrOf<NLogic_ValueType>:$value_type,
                       UnitAttr:$hidden,
                       OptionalAttr<NLogic_TransformationAttr>:$transformation,
                       OptionalAttr<NLogic_CombinationAttr>:$combination,
                       OptionalAttr<FlatSymbolRefAttr>:$offset,
                       OptionalAttr<StrAttr>:$predicate);
  let assemblyFormat = [{
    $sym_name `arity` $arity (`hidden` $hidden^)? `:` $value_type
    (`transform` `` $transformation^)? (`combine` `` $combination^)?
    (`offset` $offset^)? attr-dict
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The predicate's name as written in the source.
    llvm::StringRef getPredicateName() {
      return getPredicate() ? *getPredicate() : getSymName();
    }
    /// Whether the relation multiplies its rules' contributions (the
    /// `product` combination) instead of adding them.
    bool multipliesContributions() {
      return getCombination().value_or(::mlir::nlogic::Combination::sum) ==
             ::mlir::nlogic::Combination::product;
    }
  }];
}

def NLogic_WeightOp : NLogic_Op<"weight", [Symbol, HasParent<"TemplateOp">]> {
  let summary = "declares a weight tensor, learnable or fixed";
  let description = [{
    A weight shared by every place that names it (NeuraLogic's `$name=`
    sharing). `type` is its shape (`f64`, `tensor<Nxf64>`,
    `tensor<MxNxf64>`). `value` is the initial value (for a `fixed`
    weight, its only value); without one, the weight is drawn from
    `init` (or the training settings' initializer when absent).

    A weight *multiplies* a value as NeuraLogic does: a `{M,N}` matrix maps
    an `N` vector to an `M` vector, a vector weight scales elementwise, a
    scalar scales anything.

    Example:
    ```mlir
    nlogic.weight @w0 : tensor<3x3xf64> init glorot
    nlogic.weight @bias : f64 = dense<-7.0> : tensor<f64> fixed
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<NLogic_ValueType>:$type,
                       OptionalAttr<ElementsAttr>:$value,
                       OptionalAttr<NLogic_InitializerAttr>:$initializer,
                       UnitAttr:$fixed);
  let assemblyFormat = [{
    $sym_name `:` $type (`=` $value^)? (`init` `` $initializer^)?
    (`fixed` $fixed^)? attr-dict
  }];
  let hasVerifier = 1;
}

def NLogic_FactOp : NLogic_Op<"fact", [
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "a ground atom given as true, with a value";
  let description = [{
    The ground atom `relation(terms...)` holds. Its value is 1.0, or the
    weight `weight` (a learnable fact, e.g. an embedding, or a fixed valued
    fact such as `<[1,0]> f(a).`). In a template it is a template fact; in
    an `nlogic.sample` it is one of the sample's facts, and then `value`
    may give a constant value inline.

    Example:
    ```mlir
    nlogic.fact @next(0, 1)
    nlogic.fact @embed("cuba") weight @w4
    nlogic.fact @x() value dense<[1.0, 0.0]> : tensor<2xf64>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$relation,
                       NLogic_TermArrayAttr:$terms,
                       OptionalAttr<FlatSymbolRefAttr>:$weight,
                       OptionalAttr<ElementsAttr>:$value);
  let assemblyFormat = [{
    $relation `` custom<TermList>($terms) (`weight` $weight^)?
    (`value` $value^)? attr-dict
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Rules
//===----------------------------------------------------------------------===//

def NLogic_RuleOp : NLogic_Op<"rule", [
    HasParent<"TemplateOp">, SingleBlock,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmBlockArgumentNames"]>]> {
  let summary = "a weighted rule: join, per-substitution map, aggregation";
  let description = [{
    One rule `head :- body`. The region's block arguments are the rule's
    logic variables, listed after `vars` with the names they had in the
    source. The body reads atoms (`nlogic.atom`) and states constraints
    (`nlogic.constrain`): together they define the substitutions. The ops
    `nlogic.weigh`, `nlogic.combine` and `nlogic.transform` compute the
    value of one substitution (the ground rule neuron), and the terminator
    `nlogic.head` names the head atom and that value.

    For each ground head atom the values of all its substitutions are
    aggregated with `aggregate` (`sum`, `avg`, `max`, `min`, `count`,
    `concat`, or `softmax`, which normalises over the head variables listed
    in `over` instead of reducing). The aggregated value is multiplied by
    the head weight `weight` when there is one, then summed with the
    contributions of the relation's other rules in the atom neuron.

    Absent `aggregate` means `sum` (the NeuraLogic importer always writes
    the template's aggregation, NeuraLogic's default being `avg`).

    Verified: the head relation exists and its arity matches; the rule is
    safe (every head variable, every variable of a negated atom and every
    variable of a constraint is bound by a positive atom or by an equality
    or `next` constraint from bound terms); `over` only names head
    variables and only with `softmax`; the head value, after the head
    weight, has the relation's value type.

    Example (scaled dot-product attention with a causal constraint):
    ```mlir
    nlogic.rule @weights vars(%I, %J) aggregate softmax over ["J"] {
      %0 = nlogic.atom @d_k() : f64
      %1 = nlogic.atom @k(%J) transposed : tensor<1x4xf64>
      %2 = nlogic.atom @q(%I) : tensor<4xf64>
      nlogic.constrain leq(%J, %I)
      %3 = nlogic.combine product(%0, %1, %2)
          : (f64, tensor<1x4xf64>, tensor<4xf64>) -> tensor<1xf64>
      nlogic.head(%I, %J) = %3 : tensor<1xf64>
    }
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$head,
                       StrArrayAttr:$var_names,
                       OptionalAttr<NLogic_AggregationAttr>:$aggregation,
                       OptionalAttr<StrArrayAttr>:$agg_terms,
                       OptionalAttr<FlatSymbolRefAttr>:$weight);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    // Creates a rule for `head` with one logic variable per name; the body
    // block is created with its arguments and no terminator.
    OpBuilder<(ins "llvm::StringRef":$head,
                   "llvm::ArrayRef<std::string>":$varNames)>
  ];
  let extraClassDeclaration = [{
    /// The terminator naming the head atom and its value.
    HeadOp getHeadOp();
    mlir::Block &getBodyBlock() { return getBody().front(); }
  }];
}

def NLogic_AtomOp : NLogic_Op<"atom", [
    HasParent<"RuleOp">,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "a positive body literal: reads a relation at the given terms";
  let description = [{
    A body literal `relation(terms...)`: binds its variables to the terms of
    every matching ground atom and yields that atom's value. `transposed`
    yields the transposed value (`k(J)^T`): a vector `tensor<Nxf64>`
    becomes `tensor<1xNxf64>`. Soft negation (NeuraLogic's `~a`, value
    `1 - a`) is an atom followed by `nlogic.transform reverse`.

    Example:
    ```mlir
    %0 = nlogic.atom @bond(%X, %Y, %B) : tensor<*xf64>
    %1 = nlogic.atom @k(%J) transposed : tensor<1x4xf64>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$relation,
                       Variadic<NLogic_TermType>:$terms,
                       UnitAttr:$transposed);
  let results = (outs NLogic_ValueType:$result);
  let assemblyFormat = [{
    $relation `(` $terms `)` (`transposed` $transposed^)? attr-dict `:`
    type($result)
  }];
}

def NLogic_NotOp : NLogic_Op<"not", [
    HasParent<"RuleOp">,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "a negated body literal (negation as failure)";
  let description = [{
    Holds for a substitution when the ground atom `relation(terms...)` is
    *not* derived (NeuraLogic's `!a(X)`, PyNeuraLogic's `~R.a(V.X)`). It
    binds no variable (all its variables must be bound by positive atoms)
    and contributes no value; the relation must be fully computed before
    the rule runs, so the template must be stratifiable.

    Example:
    ```mlir
    nlogic.not @parent(%X, %Y)
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$relation,
                       Variadic<NLogic_TermType>:$terms);
  let assemblyFormat = "$relation `(` $terms `)` attr-dict";
}

def NLogic_ConstantOp : NLogic_Op<"constant", [Pure]> {
  let summary = "a constant logic term";
  let description = [{
    An atom name (`"ellipse"`) or a number used as a term.

    Example:
    ```mlir
    %c = nlogic.constant "ellipse"
    %one = nlogic.constant 1
    ```
  }];
  let arguments = (ins NLogic_TermAttr:$value);
  let results = (outs NLogic_TermType:$result);
  let assemblyFormat = "custom<Term>($value) attr-dict";
}

def NLogic_ArithOp : NLogic_Op<"arith", [Pure]> {
  let summary = "integer arithmetic on terms";
  let description = [{
    Computes an integer term (`I - 1`, `(I - J) mod n`) for use in a
    constraint. Both operands must be bound to integers when the rule is
    grounded.

    Example:
    ```mlir
    %d = nlogic.arith sub %I, %J
    %m = nlogic.arith mod %d, %n
    ```
  }];
  let arguments = (ins NLogic_ArithKindAttr:$kind, NLogic_TermType:$lhs,
                       NLogic_TermType:$rhs);
  let results = (outs NLogic_TermType:$result);
  let assemblyFormat = "`` $kind $lhs `,` $rhs attr-dict";
}

def NLogic_ConstrainOp : NLogic_Op<"constrain", [HasParent<"RuleOp">]> {
  let summary = "a builtin constraint restricting the substitutions";
  let description = [{
    A builtin relation on terms: comparisons (`leq`, `lt`, `geq`, `gt`,
    `eq`, `neq`, two terms), `next(X, Y)` (Y = X + 1) and `alldiff` (all
    terms pairwise different, two or more). A constraint never produces a
    value: it only removes substitutions, or, for `eq` and `next` with one
    side unbound, generates the binding of that side. Lowering turns them
    into loop bounds and filters, never into masks.

    Example:
    ```mlir
    nlogic.constrain leq(%J, %I)
    nlogic.constrain alldiff(%X, %Y, %Z)
    ```
  }];
  let arguments = (ins NLogic_ConstraintKindAttr:$kind,
                       Variadic<NLogic_TermType>:$terms);
  let assemblyFormat = "`` $kind `(` $terms `)` attr-dict";
  let hasVerifier = 1;
}

def NLogic_WeighOp : NLogic_Op<"weigh", [
    Pure, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "multiplies a value by a weight";
  let description = [{
    `weight * input` with NeuraLogic's multiplication: an `{M,N}` matrix
    maps an `N` vector (or an `{N,P}` matrix) to an `M` vector (or `{M,P}`
    matrix) and a scalar to an `{M,N}` matrix (an `M` vector when `N` is 1);
    a vector weight multiplies a vector of the same length elementwise or
    scales a scalar; a scalar weight scales anything. The verifier checks
    that the result type is exactly that product's shape.

    Example:
    ```mlir
    %1 = nlogic.weigh @w0, %0 : tensor<3xf64> -> tensor<3xf64>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$weight, NLogic_ValueType:$input);
  let results = (outs NLogic_ValueType:$result);
  let assemblyFormat = [{
    $weight `,` $input attr-dict `:` type($input) `->` type($result)
  }];
}

def NLogic_CombineOp : NLogic_Op<"combine", [
    Pure, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "combines the weighted body values of one substitution";
  let description = [{
    The rule neuron's combination function over its inputs in body order,
    plus the optional `offset` weight (NeuraLogic's bias literal `<-7>`):
    `sum`, `avg`, `max`, `min` and `elproduct` are elementwise (scalars
    broadcast), `product` multiplies the inputs as matrices in order,
    `concat` concatenates (along `axis`, default 0), `crosssum` sums every
    combination of elements (result length: the product of the lengths),
    `cossim` is the cosine similarity of two vectors, `count` counts the
    inputs, `softmax`/`sparsemax` normalise the concatenated inputs.
    The verifier checks the operand shapes and that the result type is the
    combination's shape. The offset is the combination's first input, as in
    NeuraLogic (with `sum`, a bias added before the transformation).

    Example:
    ```mlir
    %c = nlogic.combine sum(%a, %b) offset @bias
        : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
    ```
  }];
  let arguments = (ins NLogic_CombinationAttr:$kind,
                       Variadic<NLogic_ValueType>:$inputs,
                       OptionalAttr<FlatSymbolRefAttr>:$offset,
                       OptionalAttr<I64Attr>:$axis);
  let results = (outs NLogic_ValueType:$result);
  let assemblyFormat = [{
    `` $kind `(` $inputs `)` (`offset` $offset^)? attr-dict `:`
    functional-type($inputs, $result)
  }];
}

def NLogic_TransformOp : NLogic_Op<"transform", [Pure]> {
  let summary = "applies a transformation (activation) to a value";
  let description = [{
    Elementwise functions (`sigmoid`, `tanh`, `relu`, `leaky_relu` with
    `alpha`, `signum`, `lukasiewicz`, `exp`, `sqrt`, `log`, `inverse`,
    `reverse`, `identity`) keep the shape. `softmax`, `sparsemax` and
    `norm` need a vector. `transpose` swaps the dimensions; `slice` keeps
    `rows` (and `cols`) given as half-open `[begin, end]` ranges; `reshape`
    gives the value the `shape` (same element count).

    Example:
    ```mlir
    %t = nlogic.transform tanh %c : tensor<3xf64> -> tensor<3xf64>
    %s = nlogic.transform slice %c {rows = array<i64: 0, 2>}
        : tensor<3xf64> -> tensor<2xf64>
    ```
  }];
  let arguments = (ins NLogic_TransformationAttr:$kind,
                       NLogic_ValueType:$input,
                       OptionalAttr<F64Attr>:$alpha,
                       OptionalAttr<DenseI64ArrayAttr>:$rows,
                       OptionalAttr<DenseI64ArrayAttr>:$cols,
                       OptionalAttr<DenseI64ArrayAttr>:$shape);
  let results = (outs NLogic_ValueType:$result);
  let assemblyFormat = [{
    `` $kind $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def NLogic_HeadOp : NLogic_Op<"head", [Terminator, HasParent<"RuleOp">]> {
  let summary = "the head atom of a rule and the value of one substitution";
  let description = [{
    Terminates a rule body: `terms` are the head atom's terms (variables or
    constants, one per argument of the head relation) and `value` is the
    value of the ground rule neuron for one substitution.

    Example:
    ```mlir
    nlogic.head(%X) = %t : tensor<3xf64>
    ```
  }];
  let arguments = (ins Variadic<NLogic_TermType>:$terms,
                       NLogic_ValueType:$value);
  let assemblyFormat = [{
    `(` $terms `)` `=` $value attr-dict `:` type($value)
  }];
}

//===----------------------------------------------------------------------===//
// Samples and queries
//===----------------------------------------------------------------------===//

def NLogic_SampleOp : NLogic_Op<"sample", [
    HasParent<"TemplateOp">, NoTerminator, SingleBlock, NoRegionArguments]> {
  let summary = "one sample: its facts and its queries with targets";
  let description = [{
    The facts (`nlogic.fact`) of one data sample and the queries
    (`nlogic.query`) to ground and evaluate on it. Datasets usually stay
    outside the IR; a sample in the IR is for inspection, tests and
    sample-level grounding.

    Example:
    ```mlir
    nlogic.sample "s0" {
      nlogic.fact @a() value dense<1.0> : tensor<f64>
      nlogic.query @xor() target dense<0.0> : tensor<f64>
    }
    ```
  }];
  let arguments = (ins StrAttr:$name);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$name attr-dict-with-keyword $body";
}

def NLogic_QueryOp : NLogic_Op<"query", [
    HasParent<"SampleOp">, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "a query atom of a sample, with its training target";
  let description = [{
    Asks for the value of the ground atom `relation(terms...)` in the
    enclosing sample; `target` is the value training compares it with.

    Example:
    ```mlir
    nlogic.query @predict() target dense<1.0> : tensor<f64>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$relation,
                       NLogic_TermArrayAttr:$terms,
                       OptionalAttr<ElementsAttr>:$target);
  let assemblyFormat = [{
    $relation `` custom<TermList>($terms) (`target` $target^)? attr-dict
  }];
}

#endif // NLOGIC_DIALECT_NLOGIC_IR_NLOGICOPS_TD
