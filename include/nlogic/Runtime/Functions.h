//===- Functions.h - the function catalogue with gradients --------*- C++
//-*-===//
//
// Forward functions and their vector-Jacobian products for every
// transformation, combination, aggregation and for NeuraLogic's weight
// multiplication, on reference tensors (double precision). The shapes follow
// the dialect's shape algebra (nlogic/Dialect/NLogic/IR/ValueShape.h):
// single-element tensors act as scalars wherever NeuraLogic lets them.
//
// Every gradient function receives the forward inputs, the forward output
// and dL/d(output), and returns dL/d(input) for each input.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_RUNTIME_FUNCTIONS_H
#define NLOGIC_RUNTIME_FUNCTIONS_H

#include "nlogic/Dialect/NLogic/IR/NLogicTypes.h"
#include "nlogic/Runtime/Tensor.h"

#include <optional>
#include <vector>

namespace mlir::nlogic::runtime {

using mlir::nlogic::Aggregation;
using mlir::nlogic::Combination;
using mlir::nlogic::Transformation;

/// Parameters of the parametrised transformations.
struct TransformParams {
  double alpha = 0.01;        // leaky_relu slope for x < 0
  std::vector<int64_t> rows;  // slice: [begin, end)
  std::vector<int64_t> cols;  // slice: [begin, end), all columns if empty
  std::vector<int64_t> shape; // reshape: {n} or {r, c}
};

Tensor transform(Transformation kind, const Tensor &x,
                 const TransformParams &params = {});
Tensor transformGrad(Transformation kind, const Tensor &x, const Tensor &y,
                     const Tensor &dy, const TransformParams &params = {});

Tensor combine(Combination kind, const std::vector<Tensor> &inputs,
               std::optional<int64_t> axis = std::nullopt);
std::vector<Tensor> combineGrad(Combination kind,
                                const std::vector<Tensor> &inputs,
                                const Tensor &y, const Tensor &dy,
                                std::optional<int64_t> axis = std::nullopt);

/// Reductions over the substitutions of one head atom (not softmax, which
/// normalises across head atoms and lives in the evaluator).
Tensor aggregate(Aggregation kind, const std::vector<Tensor> &values);
std::vector<Tensor> aggregateGrad(Aggregation kind,
                                  const std::vector<Tensor> &values,
                                  const Tensor &y, const Tensor &dy);

/// NeuraLogic's `weight * value`.
Tensor weigh(const Tensor &w, const Tensor &x);
/// Gradients of `weigh` with respect to the weight and to the value.
void weighGrad(const Tensor &w, const Tensor &x, const Tensor &dy, Tensor &dw,
               Tensor &dx);

} // namespace mlir::nlogic::runtime

#endif // NLOGIC_RUNTIME_FUNCTIONS_H
