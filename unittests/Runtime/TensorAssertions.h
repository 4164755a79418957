//===- TensorAssertions.h - GoogleTest helpers for tensors --------*- C++
//-*-===//
//
// Assertions shared by the runtime's unit tests.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_UNITTESTS_RUNTIME_TENSORASSERTIONS_H
#define NLOGIC_UNITTESTS_RUNTIME_TENSORASSERTIONS_H

#include "nlogic/Runtime/Tensor.h"

#include "gtest/gtest.h"

namespace mlir::nlogic::runtime::testing {

/// Expects `actual` to have the given shape and (up to `tol`) values.
inline void expectTensor(const Tensor &actual, int64_t rows, int64_t cols,
                         const std::vector<double> &values,
                         double tol = 1e-12) {
  ASSERT_EQ(actual.rows, rows) << actual.str();
  ASSERT_EQ(actual.cols, cols) << actual.str();
  ASSERT_EQ(actual.data.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i)
    EXPECT_NEAR(actual.data[i], values[i], tol)
        << "element " << i << " of " << actual.str();
}

} // namespace mlir::nlogic::runtime::testing

#endif // NLOGIC_UNITTESTS_RUNTIME_TENSORASSERTIONS_H
