//===- Training.cpp - losses, optimizers, initialisers, metrics -----------===//
//
// See Training.h. The optimisers follow the usual definitions (SGD:
// w -= lr * g; Adam with beta1 0.9, beta2 0.999, eps 1e-8 and bias
// correction); fixed weights are never updated.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Runtime/Training.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::nlogic::runtime;

Parameters mlir::nlogic::runtime::initializeWeights(const TemplateModel &model,
                                                    uint64_t seed,
                                                    Initializer defaultInit) {
  std::mt19937_64 rng(seed);
  Parameters params;
  for (const WeightModel &w : model.weights) {
    if (w.initialValue) {
      params.push_back(*w.initialValue);
      continue;
    }
    Tensor t(w.rows, w.cols);
    double fanIn = w.cols, fanOut = w.rows;
    Initializer init = w.initializer.value_or(defaultInit);
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    std::normal_distribution<double> normal(0.0, 1.0);
    for (double &x : t.data) {
      switch (init) {
      case Initializer::uniform:
        x = unit(rng);
        break;
      case Initializer::normal:
        x = normal(rng);
        break;
      case Initializer::glorot:
        x = unit(rng) * std::sqrt(6.0 / (fanIn + fanOut));
        break;
      case Initializer::he:
        x = normal(rng) * std::sqrt(2.0 / fanIn);
        break;
      case Initializer::constant:
        x = 0.1;
        break;
      case Initializer::longtail: {
        // Heavy-tailed: a normal draw scaled by an exponential one.
        std::exponential_distribution<double> tail(1.0);
        x = normal(rng) * tail(rng);
        break;
      }
      }
    }
    params.push_back(std::move(t));
  }
  return params;
}

static double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

double mlir::nlogic::runtime::lossAndGrad(Loss loss, const Tensor &output,
                                          const Tensor &target,
                                          Tensor &dOutput) {
  dOutput = Tensor::zerosLike(output);
  int64_t n = output.size();
  auto targetAt = [&](int64_t i) {
    return target.isScalar() ? target.data[0] : target.data[i];
  };
  double value = 0;
  switch (loss) {
  case Loss::MSE: {
    // Sums first, one division: a query's output may be a long vector
    // (attention's 64 elements per position), and divisions are slow.
    double twice = 2.0 / double(n);
    for (int64_t i = 0; i < n; ++i) {
      double d = output.data[i] - targetAt(i);
      value += d * d;
      dOutput.data[i] = twice * d;
    }
    return value / double(n);
  }
  case Loss::CrossEntropy:
    if (n == 1) {
      double o = output.data[0], t = targetAt(0);
      // log(1 + e^-|o|) form keeps it finite for large |o|.
      value = std::max(o, 0.0) - o * t + std::log1p(std::exp(-std::abs(o)));
      dOutput.data[0] = sigmoid(o) - t;
      return value;
    } else {
      double mx = *std::max_element(output.data.begin(), output.data.end());
      double z = 0;
      for (double o : output.data)
        z += std::exp(o - mx);
      double logZ = mx + std::log(z);
      double targetSum = 0;
      for (int64_t i = 0; i < n; ++i)
        targetSum += targetAt(i);
      for (int64_t i = 0; i < n; ++i) {
        double p = std::exp(output.data[i] - logZ);
        value -= targetAt(i) * (output.data[i] - logZ);
        // d/do_i of -sum_j t_j log p_j; targets need not sum to one.
        dOutput.data[i] = p * targetSum - targetAt(i);
      }
      return value;
    }
  case Loss::SoftEntropy:
    for (int64_t i = 0; i < n; ++i) {
      double o = std::clamp(output.data[i], 1e-12, 1 - 1e-12), t = targetAt(i);
      value -= (t * std::log(o) + (1 - t) * std::log(1 - o)) / n;
      dOutput.data[i] = (-(t / o) + (1 - t) / (1 - o)) / n;
    }
    return value;
  }
  return value;
}

Optimizer::Optimizer(OptimizerKind kind, double lr, const TemplateModel &model)
    : kind(kind), lr(lr), model(model) {
  for (const WeightModel &w : model.weights) {
    m.emplace_back(w.rows, w.cols);
    v.emplace_back(w.rows, w.cols);
  }
}

void Optimizer::step(Parameters &params, const std::vector<Tensor> &grads,
                     const std::vector<bool> *used) {
  ++t;
  const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
  // Bias corrections of this step (once, not per element).
  const double c1 = 1 - std::pow(b1, t), c2 = 1 - std::pow(b2, t);
  for (size_t w = 0; w < params.size(); ++w) {
    if (model.weights[w].fixed || (used && !(*used)[w]))
      continue;
    Tensor &p = params[w];
    const Tensor &g = grads[w];
    for (int64_t i = 0; i < p.size(); ++i) {
      double gi = g.data[i];
      if (kind == OptimizerKind::SGD) {
        p.data[i] -= lr * gi;
        continue;
      }
      m[w].data[i] = b1 * m[w].data[i] + (1 - b1) * gi;
      v[w].data[i] = b2 * v[w].data[i] + (1 - b2) * gi * gi;
      double mHat = m[w].data[i] / c1;
      double vHat = v[w].data[i] / c2;
      p.data[i] -= lr * mHat / (std::sqrt(vHat) + eps);
    }
  }
}

Metrics
mlir::nlogic::runtime::computeMetrics(Loss loss,
                                      const std::vector<Tensor> &outputs,
                                      const std::vector<Tensor> &targets) {
  Metrics metrics;
  if (outputs.empty())
    return metrics;
  // Binary scalar targets: the decision threshold is the middle of the
  // target range ({0,1} -> 0.5, {-1,1} -> 0), or 0 on logits.
  double lo = INFINITY, hi = -INFINITY;
  bool scalar = true;
  for (const Tensor &t : targets) {
    scalar &= t.isScalar();
    for (double x : t.data) {
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
  }
  double threshold = (lo + hi) / 2;
  if (lo == hi) // one class only: assume the usual {0,1} or {-1,1} labels
    threshold = lo >= 0.5 ? 0.5 : (lo <= -0.5 ? 0.0 : 0.5);
  if (loss == Loss::CrossEntropy)
    threshold = 0.0; // outputs are logits
  size_t correct = 0;
  std::vector<std::pair<double, bool>> scored;
  for (auto [o, t] : llvm::zip(outputs, targets)) {
    Tensor d;
    metrics.loss += lossAndGrad(loss, o, t, d);
    for (int64_t i = 0; i < o.size(); ++i) {
      double diff = o.data[i] - (t.isScalar() ? t.data[0] : t.data[i]);
      metrics.mse += diff * diff / o.size();
    }
    if (scalar && o.isScalar()) {
      bool positive = t.data[0] > threshold;
      correct += (o.data[0] > threshold) == positive;
      scored.push_back({o.data[0], positive});
    } else {
      auto argmax = [](const Tensor &x) {
        return std::max_element(x.data.begin(), x.data.end()) - x.data.begin();
      };
      correct += argmax(o) == argmax(t);
    }
  }
  size_t n = outputs.size();
  metrics.loss /= n;
  metrics.mse /= n;
  metrics.accuracy = double(correct) / n;
  // AUROC by ranking (ties count half).
  size_t pos = llvm::count_if(scored, [](auto &s) { return s.second; });
  size_t neg = scored.size() - pos;
  bool finite =
      llvm::all_of(scored, [](auto &s) { return std::isfinite(s.first); });
  if (scalar && pos && neg && finite) {
    std::sort(scored.begin(), scored.end());
    double rankSum = 0;
    for (size_t i = 0; i < scored.size();) {
      size_t j = i + 1;
      while (j < scored.size() && scored[j].first == scored[i].first)
        ++j;
      double avgRank = (i + j + 1) / 2.0; // ranks are 1-based
      for (size_t k = i; k < j; ++k)
        if (scored[k].second)
          rankSum += avgRank;
      i = j;
    }
    metrics.auroc = (rankSum - pos * (pos + 1) / 2.0) / (double(pos) * neg);
  }
  return metrics;
}

LogicalResult mlir::nlogic::runtime::saveWeights(const TemplateModel &model,
                                                 const Parameters &params,
                                                 llvm::StringRef path,
                                                 std::string &error) {
  // JSON has no NaN or infinity: a diverged run is reported, not saved.
  for (auto [w, p] : llvm::zip(model.weights, params))
    if (!llvm::all_of(p.data, [](double x) { return std::isfinite(x); })) {
      error = "weight '" + w.name +
              "' is not finite (training diverged); nothing written to '" +
              path.str() + "'";
      return failure();
    }
  llvm::json::Object weights;
  for (auto [w, p] : llvm::zip(model.weights, params)) {
    llvm::json::Array values;
    for (double x : p.data)
      values.push_back(x);
    weights[w.name] =
        llvm::json::Object{{"shape", llvm::json::Array{p.rows, p.cols}},
                           {"values", std::move(values)}};
  }
  llvm::json::Object root{{"format", "nlogic-weights-1"},
                          {"weights", std::move(weights)}};
  // llvm::writeToOutput writes a temporary file beside `path` and renames
  // it into place, discarding it on failure: a crash never leaves a broken
  // checkpoint.
  if (llvm::Error err = llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
        os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root)))
           << "\n";
        return llvm::Error::success();
      })) {
    error = "cannot write " + llvm::toString(std::move(err));
    return failure();
  }
  return success();
}

LogicalResult mlir::nlogic::runtime::loadWeights(const TemplateModel &model,
                                                 Parameters &params,
                                                 llvm::StringRef path,
                                                 std::string &error) {
  auto file = llvm::MemoryBuffer::getFile(path);
  if (!file) {
    error = "cannot read '" + path.str() + "': " + file.getError().message();
    return failure();
  }
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*file)->getBuffer());
  if (!json) {
    error = path.str() +
            ": not a weights file: " + llvm::toString(json.takeError());
    return failure();
  }
  const llvm::json::Object *root = json->getAsObject();
  const llvm::json::Object *weights =
      root ? root->getObject("weights") : nullptr;
  if (!weights) {
    error = path.str() + ": not a weights file (no \"weights\" object)";
    return failure();
  }
  Parameters loaded = params;
  for (auto [i, w] : llvm::enumerate(model.weights)) {
    const llvm::json::Object *entry = weights->getObject(w.name);
    if (!entry) {
      error = path.str() + ": weight '" + w.name + "' is missing";
      return failure();
    }
    const llvm::json::Array *shape = entry->getArray("shape");
    if (shape && (shape->size() != 2 || (*shape)[0].getAsInteger() != w.rows ||
                  (*shape)[1].getAsInteger() != w.cols)) {
      error = path.str() + ": weight '" + w.name + "' should have shape [" +
              std::to_string(w.rows) + ", " + std::to_string(w.cols) + "]";
      return failure();
    }
    const llvm::json::Array *values = entry->getArray("values");
    if (!values || int64_t(values->size()) != w.rows * w.cols) {
      error = path.str() + ": weight '" + w.name + "' should have " +
              std::to_string(w.rows * w.cols) + " values";
      return failure();
    }
    for (auto [k, v] : llvm::enumerate(*values)) {
      std::optional<double> x = v.getAsNumber();
      if (!x) {
        error = path.str() + ": weight '" + w.name + "' has a non-number";
        return failure();
      }
      loaded[i].data[k] = *x;
    }
  }
  params = std::move(loaded);
  return success();
}
