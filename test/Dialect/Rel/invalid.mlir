// RUN: nlogic-opt %s --split-input-file --verify-diagnostics

nlogic.template @t {
  nlogic.relation @tok arity 1 : f64
}
rel.plan @p rule 0 atoms 1 {
  // expected-error@+1 {{reads @tok with 2 terms, but it has arity 1}}
  rel.scan @tok(?, ?) atom 0 {
  ^bb0(%row: index, %a: i64, %b: i64):
    rel.emit(%a) rows(%row)
  }
}

// -----

nlogic.template @t {
  nlogic.relation @tok arity 1 : f64
}
rel.plan @p rule 0 atoms 1 {
  // expected-error@+1 {{reads relation @nope, which no template of the module declares}}
  rel.scan @nope(?) atom 0 {
  ^bb0(%row: index, %a: i64):
    rel.emit(%a) rows(%row)
  }
}

// -----

nlogic.template @t {
  nlogic.relation @tok arity 1 : f64
}
rel.plan @p rule 0 atoms 1 {
  // expected-error@+1 {{scans atom 1 of a plan with 1 atoms}}
  rel.scan @tok(?) atom 1 {
  ^bb0(%row: index, %a: i64):
    rel.emit(%a) rows(%row)
  }
}

// -----

nlogic.template @t {
  nlogic.relation @tok arity 1 : f64
}
rel.plan @p rule 0 atoms 2 {
  rel.scan @tok(?) atom 0 {
  ^bb0(%row: index, %a: i64):
    // expected-error@+1 {{records 1 rows in a plan with 2 atoms}}
    rel.emit(%a) rows(%row)
  }
}

// -----

nlogic.template @t {
  nlogic.relation @tok arity 1 : f64
}
rel.plan @p rule 0 atoms 1 {
  // expected-error@+1 {{scans @tok as dense, but the plan does not list it as dense}}
  rel.dense_scan @tok atom 0 {
  ^bb0(%i: index, %a: i64):
    rel.emit(%a) rows(%i)
  }
}

// -----

nlogic.template @t {
  nlogic.relation @tok arity 1 : f64
}
rel.plan @p rule 0 atoms 1 dense [@tok] {
  // expected-error@+1 {{step must be positive}}
  rel.dense_scan @tok atom 0 step 0 {
  ^bb0(%i: index, %a: i64):
    rel.emit(%a) rows(%i)
  }
}

// -----

nlogic.template @t {
  nlogic.relation @tok arity 1 : f64
}
rel.plan @p rule 0 atoms 1 {
  // expected-error@+1 {{body must take the row and 1 free terms, not 1 arguments}}
  rel.scan @tok(?) atom 0 {
  ^bb0(%row: index):
    rel.emit() rows(%row)
  }
}

// -----

func.func @f(%a: i64) {
  // expected-error@+1 {{'leq' cannot take 3 terms}}
  %c = rel.check leq(%a, %a, %a)
  return
}

// -----

func.func @f(%a: i64, %r: index) {
  // expected-error@+1 {{must be inside a rel.plan}}
  rel.emit(%a) rows(%r)
  return
}

// -----

func.func @f() {
  // expected-error@+1 {{a term must be a string or an integer}}
  %c = rel.const [1]
  return
}

// -----

nlogic.template @t {
  nlogic.relation @tok arity 2 : f64
}
rel.plan @p rule 0 atoms 1 {
  %k = rel.const 1
  // expected-error@+1 {{bound positions must be increasing}}
  "rel.scan"(%k, %k) <{relation = @tok, atom = 0 : i64, arity = 2 : i64, bound = array<i64: 1, 0>}> ({
  ^bb0(%row: index):
    rel.emit() rows(%row)
  }) : (i64, i64) -> ()
}
