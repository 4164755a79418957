//===- nlogic-opt.cpp - nlogic's optimizer driver -------------------------===//
//
// The mlir-opt of nlogic: parses IR, runs any registered nlogic pass or
// pipeline, prints the result. Registration lives in nlogic/InitAll.h.
//
//===----------------------------------------------------------------------===//

#include "nlogic/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::nlogic::registerAllDialects(registry);
  mlir::nlogic::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "nlogic optimizer driver\n", registry));
}
