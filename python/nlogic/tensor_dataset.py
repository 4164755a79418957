"""Graph datasets given as tensors, as PyNeuraLogic's `Data` and
`TensorDataset`: node features `x`, edges `edge_index` ([[src...],
[dst...]]), optional `edge_attr`, and a graph label `y` (or node labels with
`y_mask`). They become the facts `node_feature(i)`, `edge(u, v)` and the
query `predict` (or `predict(i)`), the names PyNeuraLogic uses and the CLI's
`.jsonl` loader reads. Values are written fixed (`<...>`), as PyNeuraLogic
writes them: it would learn `[...]` values of example facts."""

from .dataset import Dataset
from .language import R


def _plain(value):
    """numpy arrays and scalars (and torch tensors) as Python lists and
    floats, which the language objects render."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        if len(value) == 1 and not isinstance(value[0], (list, tuple)):
            return float(value[0])
        return [_plain(v) for v in value]
    return float(value)


class Data:
    """One graph: `x` (a feature vector per node), `edge_index`, `y` (the
    graph's label, or one label per node), `edge_attr` (a value per edge),
    `y_mask` (the nodes to query; all of them when node labels are given
    without a mask is PyNeuraLogic's graph-label reading)."""

    def __init__(self, x, edge_index, y=0.0, edge_attr=None, y_mask=None):
        self.x = x
        self.edge_index = edge_index
        self.y = y
        self.edge_attr = edge_attr
        self.y_mask = y_mask

    @staticmethod
    def get_query(y, output_name="predict", one_hot_encode_labels=False,
                  max_classes=1, index=None):
        relation = R.get(output_name)
        if index is not None:
            relation = relation(index)
        y = _plain(y)
        if one_hot_encode_labels:
            if not isinstance(y, list) or len(y) != max_classes:
                label = int(y[0] if isinstance(y, list) else y)
                y = [1.0 if c == label else 0.0 for c in range(max_classes)]
        return relation[y]

    def to_logic_form(self, feature_name="node_feature", edge_name="edge",
                      output_name="predict", one_hot_encode_labels=False,
                      one_hot_decode_features=False,
                      one_hot_decode_edge_features=False, max_classes=1):
        """(query or queries, example facts), as PyNeuraLogic builds them."""
        if self.y_mask is not None:
            labels = self.y if isinstance(self.y, (list, tuple)) else \
                _plain(self.y)
            query = [Data.get_query(labels[int(i)], output_name,
                                    one_hot_encode_labels, max_classes, int(i))
                     for i in _plain_list(self.y_mask)]
        else:
            query = Data.get_query(self.y, output_name, one_hot_encode_labels,
                                   max_classes)
        sources, targets = (_plain_list(e) for e in self.edge_index)
        if self.edge_attr is None:
            weights = [1.0] * len(sources)
        else:
            weights = [_plain(w) for w in self.edge_attr]
        example = []
        for u, v, w in zip(sources, targets, weights):
            if one_hot_decode_edge_features:
                cls = max(range(len(w)), key=lambda k: w[k])
                example.append(R.get(f"{edge_name}_{cls}")(int(u), int(v)))
            else:
                example.append(R.get(edge_name)(int(u), int(v))[w].fixed())
        for i, features in enumerate(self.x):
            features = _plain(features)
            if one_hot_decode_features:
                values = features if isinstance(features, list) else [features]
                cls = max(range(len(values)), key=lambda k: values[k])
                example.append(R.get(f"{feature_name}_{cls}")(i))
            else:
                example.append(R.get(feature_name)(i)[features].fixed())
        return query, example


def _plain_list(values):
    values = _plain(values)
    return values if isinstance(values, list) else [values]


class TensorDataset:
    """A list of `Data` graphs with PyNeuraLogic's conversion options;
    `to_dataset()` gives the logic `Dataset` (one sample per query)."""

    def __init__(self, data, one_hot_encode_labels=False,
                 one_hot_decode_features=False,
                 one_hot_decode_edge_features=False, number_of_classes=1,
                 feature_name="node_feature", edge_name="edge",
                 output_name="predict"):
        self.data = list(data)
        self.one_hot_encode_labels = one_hot_encode_labels
        self.one_hot_decode_features = one_hot_decode_features
        self.one_hot_decode_edge_features = one_hot_decode_edge_features
        self.number_of_classes = number_of_classes
        self.feature_name = feature_name
        self.edge_name = edge_name
        self.output_name = output_name

    def add_data(self, data):
        self.data.append(data)

    def to_dataset(self):
        dataset = Dataset()
        for data in self.data:
            query, example = data.to_logic_form(
                self.feature_name, self.edge_name, self.output_name,
                self.one_hot_encode_labels, self.one_hot_decode_features,
                self.one_hot_decode_edge_features, self.number_of_classes)
            for q in (query if isinstance(query, list) else [query]):
                dataset.add(q, example)
        return dataset

    def examples_text(self):
        return self.to_dataset().examples_text()

    def queries_text(self):
        return self.to_dataset().queries_text()
