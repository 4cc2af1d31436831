package witness

import (
	"context"
	"strings"
	"testing"
)

// TestMemberCountsOnlyItsOwnCosignature: a member whose witness answers
// with a signature of another key gets an error, not a cosignature.
func TestMemberCountsOnlyItsOwnCosignature(t *testing.T) {
	t.Parallel()
	l := newLedger(t, "maeul.example/ledger", []byte("maeul witness member test secret"))
	w := newWitness(t, statePath(t), Log{Origin: "maeul.example/ledger", Verifier: l.verifier()})
	cp := l.grow(5, "a")
	good := &Member{Client: *w.client, Key: w.verifier}
	line, err := good.AddCheckpoint(context.Background(), 0, nil, cp)
	if err != nil || !strings.HasPrefix(string(line), "— "+w.verifier.Name()+" ") {
		t.Fatalf("own key: %q %v", line, err)
	}
	_, otherKey, _ := GenerateKey(w.verifier.Name())
	other, err := NewMember(w.url + " " + otherKey)
	if err != nil {
		t.Fatal(err)
	}
	cp = l.grow(5, "b")
	if _, err := other.AddCheckpoint(context.Background(), 5, l.proof(5, 10), cp); err == nil || !strings.Contains(err.Error(), "no valid cosignature") {
		t.Fatalf("another key: %v", err)
	}
	if _, err := NewMember("http://127.0.0.1:1"); err == nil {
		t.Fatal("a member without a key was accepted")
	}
}
