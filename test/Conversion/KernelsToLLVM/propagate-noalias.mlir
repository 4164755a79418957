// RUN: mlir-opt %s --finalize-memref-to-llvm --convert-func-to-llvm --reconcile-unrealized-casts | nlogic-opt --nlogic-propagate-kernel-noalias | FileCheck %s
// RUN: mlir-opt %s --finalize-memref-to-llvm --convert-func-to-llvm --reconcile-unrealized-casts | FileCheck %s --check-prefix=BEFORE
// And in the pipeline every kernel goes through:
// RUN: nlogic-opt %s --nlogic-lower-kernels-to-llvm | FileCheck %s

// A kernel with two arenas declared distinct ({llvm.noalias}) and one that
// is not. convert-func-to-llvm leaves the attribute on the C wrapper's
// descriptor pointers only; the pass marks the aligned data pointers of
// the noalias arenas (fields 1 of their descriptors) on the kernel itself.

func.func @kernel(%a: memref<?xf64> {llvm.noalias}, %b: memref<?xf64> {llvm.noalias},
                  %c: memref<?xf64>, %n: index) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %v = memref.load %a[%c0] : memref<?xf64>
  memref.store %v, %b[%c0] : memref<?xf64>
  memref.store %v, %c[%c0] : memref<?xf64>
  return
}

// CHECK-LABEL: llvm.func @kernel(
// CHECK-SAME: %{{[a-z0-9]+}}: !llvm.ptr, %{{[a-z0-9]+}}: !llvm.ptr {llvm.noalias}, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64,
// CHECK-SAME: %{{[a-z0-9]+}}: !llvm.ptr, %{{[a-z0-9]+}}: !llvm.ptr {llvm.noalias}, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64,
// CHECK-SAME: %{{[a-z0-9]+}}: !llvm.ptr, %{{[a-z0-9]+}}: !llvm.ptr, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64, %{{[a-z0-9]+}}: i64)
// CHECK-LABEL: llvm.func @_mlir_ciface_kernel(
// CHECK-SAME: !llvm.ptr {llvm.noalias}, %{{[a-z0-9]+}}: !llvm.ptr {llvm.noalias}, %{{[a-z0-9]+}}: !llvm.ptr, %{{[a-z0-9]+}}: i64)

// BEFORE-LABEL: llvm.func @kernel(
// BEFORE-NOT: llvm.noalias
// BEFORE-LABEL: llvm.func @_mlir_ciface_kernel(
