// RUN: nlogic-opt %s --nlogic-prune-unreachable -verify-diagnostics
// RUN: not nlogic-opt %s --nlogic-prune-unreachable=queries=nothere 2>&1 | FileCheck %s

/// Without queries the pass refuses rather than erasing everything.
// expected-error@+1 {{nlogic-prune-unreachable needs query relations}}
nlogic.template @no_queries {
  nlogic.relation @a arity 0 : f64
}

/// A query relation the template does not declare is an error too.
// CHECK: error: unknown query relation @nothere
