package statuslist

import (
	"bytes"
	"testing"
)

func FuzzDecode(f *testing.F) {
	for _, ex := range draftExamples {
		f.Add(ex.bits, ex.lst)
	}
	f.Fuzz(func(t *testing.T, bits int, lst string) {
		l, err := Decode(bits, lst)
		if err != nil {
			return
		}
		if l.Len() <= 0 || len(l.Bytes()) > MaxDecodedBytes {
			t.Fatalf("accepted list with Len %d and %d bytes", l.Len(), len(l.Bytes()))
		}
		if _, err := l.Get(l.Len() - 1); err != nil {
			t.Fatalf("last index unreadable: %v", err)
		}
		again, err := l.Encode()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(bits, again)
		if err != nil || !bytes.Equal(back.Bytes(), l.Bytes()) {
			t.Fatalf("re-encode round trip failed: %v", err)
		}
	})
}
