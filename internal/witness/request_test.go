package witness

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseAddCheckpoint(t *testing.T) {
	t.Parallel()
	cp := "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
	h := "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n"
	req, err := parseAddCheckpoint([]byte("old 20852014\n" + h + h + "\n" + cp))
	if err != nil || req.oldSize != 20852014 || len(req.proof) != 2 || string(req.checkpoint) != cp {
		t.Fatalf("%+v %v", req, err)
	}
	for _, bad := range []string{
		"", "old 0", "old 0\n", "old 0\n\n", "old 01\n\n" + cp, "old -1\n\n" + cp, "old +1\n\n" + cp, "Old 1\n\n" + cp,
		"old  1\n\n" + cp, "old 1 \n\n" + cp, "old 18446744073709551616\n\n" + cp, "old 1\r\n\n" + cp,
		"old 1\n" + h + cp, // no empty line after the proof
		"old 1\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw\n\n" + cp,  // unpadded
		"old 1\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkax=\n\n" + cp, // non-canonical
		"old 1\nAAAA\n\n" + cp, // not a hash
		"old 1\n" + strings.Repeat(h, 64) + "\n" + cp,
	} {
		if _, err := parseAddCheckpoint([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	if _, err := parseAddCheckpoint([]byte("old 1\n" + strings.Repeat(h, 63) + "\n" + cp)); err != nil {
		t.Errorf("63 proof lines refused: %v", err)
	}
}

// FuzzParseAddCheckpoint checks that the parser never panics and reads
// each body in its one spelling: what it accepts, marshal writes back
// byte for byte.
func FuzzParseAddCheckpoint(f *testing.F) {
	f.Add([]byte("old 0\n\nmaeul.example/ledger\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n— maeul.example/ledger AAAAAAAA\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseAddCheckpoint(body)
		if err != nil {
			return
		}
		if len(req.proof) > maxProofLines || len(req.checkpoint) == 0 {
			t.Fatalf("accepted %d proof lines, checkpoint %q", len(req.proof), req.checkpoint)
		}
		if got := req.marshal(); !bytes.Equal(got, body) {
			t.Fatalf("read %q, wrote back %q", body, got)
		}
	})
}
