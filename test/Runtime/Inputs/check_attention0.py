"""attention(0) must equal v(0) = W_v x(0) = the first column of W_v:
token 0's softmax over J <= 0 has the single member weights(0, 0) = 1."""
import json
import sys

weights = json.load(open(sys.argv[1]))["weights"]["W_v"]["values"]
rows = [weights[r * 4:(r + 1) * 4] for r in range(4)]
for line in sys.stdin:
    record = json.loads(line)
    if record["query"] == "attention(0)":
        expected = [row[0] for row in rows]
        assert all(abs(a - b) < 1e-12 for a, b in zip(record["output"], expected)), (record, expected)
        print("attention(0) == W_v[:, 0]")
