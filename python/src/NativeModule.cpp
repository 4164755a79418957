//===- NativeModule.cpp - nlogic's Python bindings (nlogic._native) -------===//
//
// A thin layer over runtime::Session: templates from text, datasets from
// text, grounding, training and evaluation on the compiled (default) or
// reference engine, weights as numpy arrays. Errors raise nlogic.NLogicError
// with the `file:line:col: error: ...` text the CLI would print.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Runtime/Session.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace py = pybind11;
using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::runtime;

namespace {

struct NLogicError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A tensor as a numpy array: a scalar is 0-d, a vector 1-d, a matrix 2-d.
py::array_t<double> toArray(const Tensor &t) {
  std::vector<py::ssize_t> shape;
  if (t.rows == 1 && t.cols == 1)
    shape = {};
  else if (t.cols == 1)
    shape = {py::ssize_t(t.rows)};
  else
    shape = {py::ssize_t(t.rows), py::ssize_t(t.cols)};
  py::array_t<double> a(shape);
  std::copy(t.data.begin(), t.data.end(), a.mutable_data());
  return a;
}

Loss lossOf(const std::string &name) {
  if (name == "mse")
    return Loss::MSE;
  if (name == "crossentropy")
    return Loss::CrossEntropy;
  if (name == "softentropy")
    return Loss::SoftEntropy;
  throw NLogicError("unknown loss '" + name +
                    "' (expected mse, crossentropy or softentropy)");
}

OptimizerKind optimizerOf(const std::string &name) {
  if (name == "sgd")
    return OptimizerKind::SGD;
  if (name == "adam")
    return OptimizerKind::Adam;
  throw NLogicError("unknown optimizer '" + name + "' (expected sgd or adam)");
}

py::dict metricsDict(const Metrics &m) {
  py::dict d;
  d["loss"] = m.loss;
  d["accuracy"] = m.accuracy;
  d["mse"] = m.mse;
  if (m.auroc >= 0)
    d["auroc"] = m.auroc;
  return d;
}

std::unique_ptr<Session> createSession(const std::string &text,
                                       const std::string &name, bool isIR) {
  std::string error;
  FailureOr<std::unique_ptr<Session>> s =
      Session::create(text, name, isIR, error);
  if (failed(s))
    throw NLogicError(error);
  return std::move(*s);
}

int weightIndex(Session &s, const std::string &name) {
  for (auto [i, w] : llvm::enumerate(s.model().weights))
    if (w.name == name)
      return i;
  throw NLogicError("the template has no weight named '" + name + "'");
}

} // namespace

PYBIND11_MODULE(_native, m) {
  m.doc() = "nlogic's native runtime: compile, ground, train and evaluate "
            "templates";
  py::register_exception<NLogicError>(m, "NLogicError", PyExc_ValueError);

  m.def(
      "import_template",
      [](const std::string &text, const std::string &name) {
        return createSession(text, name, /*isIR=*/false)->templateIR();
      },
      py::arg("text"), py::arg("name") = "template.txt",
      "NeuraLogic text -> verified nlogic IR text");

  py::class_<Session>(m, "Session")
      .def(py::init([](const std::string &text, const std::string &name,
                       bool isIR) { return createSession(text, name, isIR); }),
           py::arg("text"), py::arg("name") = "template.txt",
           py::arg("is_ir") = false)
      .def("ir", &Session::templateIR, "the template as nlogic IR text")
      .def("template_dot", &Session::templateDot,
           "the template as a Graphviz digraph")
      .def(
          "network_dot",
          [](Session &s, size_t sample) {
            std::string error;
            FailureOr<std::string> dot = s.networkDot(sample, error);
            if (failed(dot))
              throw NLogicError(error);
            return *dot;
          },
          py::arg("sample") = 0,
          "the ground network of one loaded sample as a Graphviz digraph")
      .def(
          "load",
          [](Session &s, const std::string &examples,
             std::optional<std::string> queries, const std::string &engine,
             const std::string &examplesName, const std::string &queriesName,
             bool fastMath) {
            std::string error;
            std::optional<llvm::StringRef> q;
            if (queries)
              q = *queries;
            LogicalResult loaded = failure();
            {
              // Compiling and grounding take no Python objects.
              py::gil_scoped_release release;
              loaded = s.load(examples, q, engine, error, examplesName,
                              queriesName, fastMath);
            }
            if (failed(loaded))
              throw NLogicError(error);
          },
          py::arg("examples"), py::arg("queries") = std::nullopt,
          py::arg("engine") = "compiled", py::arg("examples_name") = "examples",
          py::arg("queries_name") = "queries", py::arg("fast_math") = false,
          "loads and grounds a dataset (NeuraLogic text) and prepares the "
          "engine")
      .def("num_samples", [](Session &s) { return s.dataset().samples.size(); })
      .def(
          "queries",
          [](Session &s) {
            std::vector<std::vector<std::string>> out;
            for (const Sample &sample : s.dataset().samples) {
              auto &q = out.emplace_back();
              for (const Query &query : sample.queries)
                q.push_back(query.text);
            }
            return out;
          },
          "the queries of every sample, as written")
      .def("targets",
           [](Session &s) {
             py::list out;
             for (const Sample &sample : s.dataset().samples) {
               py::list q;
               for (const Query &query : sample.queries)
                 q.append(toArray(query.target));
               out.append(q);
             }
             return out;
           })
      .def("ground_stats",
           [](Session &s) {
             size_t rules = 0, atoms = 0;
             for (const GroundNetwork &n : s.networks()) {
               rules += n.stats.ruleNeurons;
               atoms += n.order.size();
             }
             py::dict d;
             d["samples"] = s.networks().size();
             d["rule_neurons"] = rules;
             d["atom_neurons"] = atoms;
             return d;
           })
      .def(
          "evaluate",
          [](Session &s) {
            std::string error;
            FailureOr<std::vector<std::vector<Tensor>>> outputs = failure();
            {
              py::gil_scoped_release release;
              outputs = s.evaluate(error);
            }
            if (failed(outputs))
              throw NLogicError(error);
            py::list out;
            for (const std::vector<Tensor> &sample : *outputs) {
              py::list q;
              for (const Tensor &t : sample)
                q.append(toArray(t));
              out.append(q);
            }
            return out;
          },
          "the output of every query, per sample")
      .def(
          "train",
          [](Session &s, unsigned epochs, const std::string &optimizer,
             double lr, const std::string &loss, size_t batchSize,
             py::object onEpoch) {
            TrainOptions options;
            options.epochs = epochs;
            options.optimizer = optimizerOf(optimizer);
            options.learningRate = lr;
            options.loss = lossOf(loss);
            options.batchSize = batchSize;
            std::string error;
            FailureOr<Metrics> result = failure();
            {
              // Other Python threads run while the epochs do; the callback
              // takes the GIL back for its Python call.
              py::gil_scoped_release release;
              result = s.train(options, error,
                               [&](unsigned epoch, const Metrics &m) {
                                 if (onEpoch.is_none())
                                   return;
                                 py::gil_scoped_acquire acquire;
                                 onEpoch(epoch, metricsDict(m));
                               });
            }
            if (failed(result))
              throw NLogicError(error);
            return metricsDict(*result);
          },
          py::arg("epochs") = 1, py::arg("optimizer") = "adam",
          py::arg("lr") = 0.01, py::arg("loss") = "mse",
          py::arg("batch_size") = 1, py::arg("on_epoch") = py::none())
      .def(
          "initialize", [](Session &s, uint64_t seed) { s.initialize(seed); },
          py::arg("seed") = 1)
      .def("weight_names",
           [](Session &s) {
             std::vector<std::string> names;
             for (const WeightModel &w : s.model().weights)
               names.push_back(w.name);
             return names;
           })
      .def(
          "get_weight",
          [](Session &s, const std::string &name) {
            return toArray(s.parameters()[weightIndex(s, name)]);
          },
          "a copy of the weight's value")
      .def("set_weight",
           [](Session &s, const std::string &name,
              py::array_t<double, py::array::c_style | py::array::forcecast>
                  value) {
             Tensor &t = s.parameters()[weightIndex(s, name)];
             if (size_t(value.size()) != t.data.size())
               throw NLogicError("weight '" + name + "' has " +
                                 std::to_string(t.data.size()) +
                                 " elements, the value " +
                                 std::to_string(value.size()));
             // A matrix must come with its own shape, not another one of the
             // same size (which would silently be reinterpreted).
             if (value.ndim() == 2 &&
                 (value.shape(0) != t.rows || value.shape(1) != t.cols))
               throw NLogicError("weight '" + name + "' is " +
                                 std::to_string(t.rows) + "x" +
                                 std::to_string(t.cols) + ", the value " +
                                 std::to_string(value.shape(0)) + "x" +
                                 std::to_string(value.shape(1)));
             std::copy(value.data(), value.data() + value.size(),
                       t.data.begin());
           })
      .def(
          "save",
          [](Session &s, const std::string &path) {
            std::string error;
            if (failed(saveWeights(s.model(), s.parameters(), path, error)))
              throw NLogicError(error);
          },
          "writes the weights as JSON (atomically)")
      .def("load_weights", [](Session &s, const std::string &path) {
        std::string error;
        if (failed(loadWeights(s.model(), s.parameters(), path, error)))
          throw NLogicError(error);
      });
}
