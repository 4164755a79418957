//===- Evaluator.cpp - the reference evaluator with gradients -------------===//
//
// Forward: for each reached atom in order, a fact atom is its value (or its
// weight); a derived atom is
//   transformation(combination([offset,] for each rule r:
//                    head_weight_r * aggregate_r(rule neurons of r)))
// where a rule neuron runs the rule's map program on its body atoms.
// Softmax aggregation normalises the summed rule values of a group of head
// atoms. Backward walks the same structure in reverse.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Runtime/Evaluator.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir::nlogic::runtime;

static Tensor transposed(const Tensor &t) {
  return transform(Transformation::transpose, t);
}

/// The inputs of a map program's combine: its offset weight first (as
/// NeuraLogic orders them), then its operands.
static std::vector<Tensor> combineInputs(const MapInstr &instr,
                                         const std::vector<Tensor> &regs,
                                         const Parameters &params) {
  std::vector<Tensor> inputs;
  if (instr.weight >= 0)
    inputs.push_back(params[instr.weight]);
  for (int op : instr.operands)
    inputs.push_back(regs[op]);
  return inputs;
}

void Evaluator::evaluateRuleNeuron(int groundRule, const GroundNetwork &net,
                                   const Parameters &params) {
  const GroundRule &gr = net.rules()[groundRule];
  const RuleModel &rule = model.rules[gr.rule];
  std::vector<Tensor> &regs = registers[groundRule];
  regs.assign(rule.program.size(), Tensor());
  for (auto [i, instr] : llvm::enumerate(rule.program)) {
    switch (instr.kind) {
    case MapInstr::Atom: {
      const Tensor &v = values[gr.body[instr.atom]];
      regs[i] = instr.transposed ? transposed(v) : v;
      break;
    }
    case MapInstr::Weigh:
      regs[i] = weigh(params[instr.weight], regs[instr.operands[0]]);
      break;
    case MapInstr::Combine: {
      std::vector<Tensor> inputs = combineInputs(instr, regs, params);
      regs[i] = combine(instr.combination, inputs, instr.axis);
      break;
    }
    case MapInstr::Transform:
      regs[i] = transform(instr.transformation, regs[instr.operands[0]],
                          instr.params);
      break;
    }
  }
}

const Tensor &Evaluator::softmaxValue(int group, int atom,
                                      const GroundNetwork &net) {
  const SoftmaxGroup &g = net.groups()[group];
  if (!groupDone[group]) {
    // Raw value of each member: the sum of its rule neurons for this rule.
    std::vector<Tensor> &raw = groupRaw[group];
    raw.clear();
    for (int m : g.members) {
      Tensor sum;
      bool first = true;
      for (int gr : net.atoms()[m].groundRules) {
        if (net.rules()[gr].rule != g.rule)
          continue;
        const Tensor &v = registers[gr][model.rules[g.rule].result];
        if (first)
          sum = v;
        else
          sum.accumulate(v);
        first = false;
      }
      raw.push_back(sum);
    }
    // Normalise elementwise across the members (stable: subtract the max).
    std::vector<Tensor> &norm = groupNorm[group];
    norm = raw;
    for (int64_t e = 0; e < raw[0].size(); ++e) {
      double mx = -INFINITY;
      for (const Tensor &r : raw)
        mx = std::max(mx, r.data[e]);
      double z = 0;
      for (Tensor &n : norm)
        z += (n.data[e] = std::exp(n.data[e] - mx));
      for (Tensor &n : norm)
        n.data[e] /= z;
    }
    groupDone[group] = true;
  }
  auto pos = llvm::find(g.members, atom) - g.members.begin();
  return groupNorm[group][pos];
}

std::vector<Tensor> Evaluator::forward(const GroundNetwork &net,
                                       const Parameters &params) {
  values.assign(net.atoms().size(), Tensor());
  atomStates.assign(net.atoms().size(), AtomState());
  registers.assign(net.rules().size(), {});
  groupRaw.assign(net.groups().size(), {});
  groupNorm.assign(net.groups().size(), {});
  groupDone.assign(net.groups().size(), false);

  for (int a : net.order) {
    const GroundAtom &atom = net.atoms()[a];
    if (atom.groundRules.empty()) {
      values[a] =
          atom.factWeight >= 0 ? params[atom.factWeight] : atom.factValue;
      continue;
    }
    // Rule neurons first (a softmax group needs all its members' values).
    for (int g : atom.groundRules)
      if (registers[g].empty())
        evaluateRuleNeuron(g, net, params);

    const RelationModel &rel = model.relations[atom.relation];
    AtomState &state = atomStates[a];
    for (int g : atom.groundRules) {
      int r = net.rules()[g].rule;
      auto it = llvm::find_if(state.rules,
                              [&](const RuleState &s) { return s.rule == r; });
      if (it == state.rules.end()) {
        state.rules.push_back({r, {}, {}, {}});
        it = std::prev(state.rules.end());
      }
      it->groundRules.push_back(g);
    }
    if (rel.offsetWeight >= 0)
      state.inputs.push_back(params[rel.offsetWeight]);
    for (RuleState &rs : state.rules) {
      const RuleModel &rule = model.rules[rs.rule];
      if (rule.aggregation == Aggregation::softmax) {
        // Members of the group are evaluated together: their ground rules
        // of this rule (the inputs of those are in the order before `a`;
        // those of the members' other rules may not be yet).
        int group = net.groupOf(a, rs.rule);
        for (int m : net.groups()[group].members)
          for (int g : net.atoms()[m].groundRules)
            if (net.rules()[g].rule == rs.rule && registers[g].empty())
              evaluateRuleNeuron(g, net, params);
        rs.aggregated = softmaxValue(group, a, net);
      } else {
        std::vector<Tensor> ruleValues;
        for (int g : rs.groundRules)
          ruleValues.push_back(registers[g][rule.result]);
        rs.aggregated = aggregate(rule.aggregation, ruleValues);
      }
      rs.contribution = rule.headWeight >= 0
                            ? weigh(params[rule.headWeight], rs.aggregated)
                            : rs.aggregated;
      state.inputs.push_back(rs.contribution);
    }
    state.combined = combine(rel.combination, state.inputs);
    values[a] = transform(rel.transformation, state.combined);
  }

  std::vector<Tensor> outputs;
  for (int q : net.queryAtoms)
    outputs.push_back(q >= 0 ? values[q] : Tensor::scalar(0.0));
  return outputs;
}

void Evaluator::backwardRuleNeuron(int groundRule, const Tensor &dValue,
                                   const GroundNetwork &net,
                                   const Parameters &params,
                                   std::vector<Tensor> &grads) {
  const GroundRule &gr = net.rules()[groundRule];
  const RuleModel &rule = model.rules[gr.rule];
  const std::vector<Tensor> &regs = registers[groundRule];
  std::vector<Tensor> dRegs(regs.size());
  std::vector<bool> has(regs.size(), false);
  auto add = [&](int reg, const Tensor &d) {
    if (!has[reg]) {
      dRegs[reg] = Tensor::zerosLike(regs[reg]);
      has[reg] = true;
    }
    dRegs[reg].accumulate(d);
  };
  add(rule.result, dValue);
  for (int i = int(rule.program.size()) - 1; i >= 0; --i) {
    if (!has[i])
      continue;
    const MapInstr &instr = rule.program[i];
    const Tensor &dy = dRegs[i];
    switch (instr.kind) {
    case MapInstr::Atom: {
      int atom = gr.body[instr.atom];
      Tensor d = instr.transposed ? transposed(dy) : dy;
      if (!dValues[atom].sameShape(values[atom]))
        dValues[atom] = Tensor::zerosLike(values[atom]);
      dValues[atom].accumulate(d);
      break;
    }
    case MapInstr::Weigh: {
      Tensor dw, dx;
      weighGrad(params[instr.weight], regs[instr.operands[0]], dy, dw, dx);
      addGrad(grads, instr.weight, dw);
      add(instr.operands[0], dx);
      break;
    }
    case MapInstr::Combine: {
      std::vector<Tensor> inputs = combineInputs(instr, regs, params);
      std::vector<Tensor> dInputs =
          combineGrad(instr.combination, inputs, regs[i], dy, instr.axis);
      size_t k = 0;
      if (instr.weight >= 0)
        addGrad(grads, instr.weight, dInputs[k++]);
      for (int op : instr.operands)
        add(op, dInputs[k++]);
      break;
    }
    case MapInstr::Transform:
      add(instr.operands[0],
          transformGrad(instr.transformation, regs[instr.operands[0]], regs[i],
                        dy, instr.params));
      break;
    }
  }
}

void Evaluator::backward(const GroundNetwork &net, const Parameters &params,
                         const std::vector<Tensor> &dOutputs,
                         std::vector<Tensor> &grads) {
  if (used.size() != grads.size())
    used.assign(grads.size(), false);
  dValues.assign(net.atoms().size(), Tensor(0, 0));
  for (auto [q, atom] : llvm::enumerate(net.queryAtoms)) {
    if (atom < 0)
      continue;
    if (!dValues[atom].sameShape(values[atom]))
      dValues[atom] = Tensor::zerosLike(values[atom]);
    dValues[atom].accumulate(dOutputs[q]);
  }
  // Softmax groups: gradients of the members' normalised values gather
  // here; when the last reached member is done (the earliest in forward
  // order), the group's softmax Jacobian is applied at once.
  std::vector<char> reached(net.atoms().size(), false);
  for (int a : net.order)
    reached[a] = true;
  groupGrad.assign(net.groups().size(), {});
  groupPending.assign(net.groups().size(), 0);
  for (auto [i, g] : llvm::enumerate(net.groups())) {
    if (!groupDone[i])
      continue; // no member reached by this sample's queries
    for (auto [j, m] : llvm::enumerate(g.members)) {
      groupGrad[i].push_back(Tensor::zerosLike(groupNorm[i][j]));
      groupPending[i] += reached[m];
    }
  }
  auto memberDone = [&](int group, int atom, const Tensor *dNormValue) {
    const SoftmaxGroup &g = net.groups()[group];
    auto pos = llvm::find(g.members, atom) - g.members.begin();
    if (dNormValue)
      groupGrad[group][pos].accumulate(*dNormValue);
    if (--groupPending[group] > 0)
      return;
    const std::vector<Tensor> &norm = groupNorm[group];
    const std::vector<Tensor> &dNorm = groupGrad[group];
    for (size_t j = 0; j < g.members.size(); ++j) {
      Tensor dRaw = Tensor::zerosLike(norm[j]);
      for (int64_t e = 0; e < dRaw.size(); ++e) {
        double dot = 0;
        for (size_t m = 0; m < g.members.size(); ++m)
          dot += dNorm[m].data[e] * norm[m].data[e];
        dRaw.data[e] = norm[j].data[e] * (dNorm[j].data[e] - dot);
      }
      for (int gr : net.atoms()[g.members[j]].groundRules)
        if (net.rules()[gr].rule == g.rule)
          backwardRuleNeuron(gr, dRaw, net, params, grads);
    }
  };

  for (int a : llvm::reverse(net.order)) {
    const GroundAtom &atom = net.atoms()[a];
    AtomState &state = atomStates[a];
    if (!dValues[a].sameShape(values[a])) {
      // Nothing depends on this atom; its softmax groups still count it.
      for (RuleState &rs : state.rules)
        if (model.rules[rs.rule].aggregation == Aggregation::softmax)
          memberDone(net.groupOf(a, rs.rule), a, nullptr);
      continue;
    }
    const Tensor &dValue = dValues[a];
    if (atom.groundRules.empty()) {
      if (atom.factWeight >= 0)
        addGrad(grads, atom.factWeight, dValue);
      continue;
    }
    const RelationModel &rel = model.relations[atom.relation];
    Tensor dCombined =
        transformGrad(rel.transformation, state.combined, values[a], dValue);
    std::vector<Tensor> dInputs =
        combineGrad(rel.combination, state.inputs, state.combined, dCombined);
    size_t k = 0;
    if (rel.offsetWeight >= 0)
      addGrad(grads, rel.offsetWeight, dInputs[k++]);
    for (RuleState &rs : state.rules) {
      const RuleModel &rule = model.rules[rs.rule];
      Tensor dAggregated = dInputs[k++];
      if (rule.headWeight >= 0) {
        Tensor dw, dx;
        weighGrad(params[rule.headWeight], rs.aggregated, dAggregated, dw, dx);
        addGrad(grads, rule.headWeight, dw);
        dAggregated = dx;
      }
      if (rule.aggregation == Aggregation::softmax) {
        memberDone(net.groupOf(a, rs.rule), a, &dAggregated);
        continue;
      }
      std::vector<Tensor> ruleValues;
      for (int g : rs.groundRules)
        ruleValues.push_back(registers[g][rule.result]);
      std::vector<Tensor> dRuleValues = aggregateGrad(
          rule.aggregation, ruleValues, rs.aggregated, dAggregated);
      for (auto [g, d] : llvm::zip(rs.groundRules, dRuleValues))
        backwardRuleNeuron(g, d, net, params, grads);
    }
  }
}
