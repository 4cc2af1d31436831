package ledger

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
)

// Opening shows whose a version 2 entry is: the owner its subject commits
// to and the salt it was sealed with. Only the receipt the platform gives
// the owner carries it; the ledger never publishes it.
type Opening struct {
	Owner string `json:"owner"` // as Log.Owner names the person
	Salt  []byte `json:"salt"`
}

// commitmentDomain starts every commitment, so that its hash means
// nothing else.
const commitmentDomain = "maeul ledger subject v2\x00"

// Commit is the subject of a version 2 entry sealed for owner with salt:
// "c-" and the unpadded base64url of SHA-256("maeul ledger subject v2" ||
// 0x00 || owner || 0x00 || salt). Anyone can compute it, but only with the
// salt, and a salt is 16 random bytes drawn for one entry.
func Commit(owner string, salt []byte) string {
	var buf [128]byte
	in := append(append(append(append(buf[:0], commitmentDomain...), owner...), 0), salt...)
	sum := sha256.Sum256(in)
	var out [len(commitmentPrefix) + (commitmentSize*8+5)/6]byte
	copy(out[:], commitmentPrefix)
	base64.RawURLEncoding.Encode(out[len(commitmentPrefix):], sum[:])
	return string(out[:])
}

// Opens reports whether o opens subject: subject is o's owner's, sealed
// with o's salt.
func (o Opening) Opens(subject string) bool {
	if !isOwner(o.Owner) || len(o.Salt) != saltSize || !isCommitment(subject) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(Commit(o.Owner, o.Salt)), []byte(subject)) == 1
}

// seal turns an entry as a part hands it to AppendTx into the version 2
// entry the ledger writes, and the opening of its subject (nil for an
// entry about nobody): the time down to the hour; for an entry about a
// person, a commitment to its owner under a fresh salt and a random ref.
// A part cannot put a name, a stable pseudonym or its own ids on it.
func seal(e Entry, now int64) (Entry, *Opening, error) {
	if e.Version != 0 && e.Version != V2 {
		return e, nil, fmt.Errorf("ledger: the ledger writes format %d, not %d", V2, e.Version)
	}
	if e.Subject != "" {
		return e, nil, fmt.Errorf("ledger: a %s entry names its person by its Owner, never by a Subject of the caller's", e.Kind)
	}
	e.Version = V2
	if e.At == 0 {
		e.At = now
	}
	e.At -= e.At % Hour
	if !AboutAPerson(e.Kind) {
		if e.Owner != "" {
			return e, nil, fmt.Errorf("ledger: a %s entry is about nobody, yet has an owner", e.Kind)
		}
		return e, nil, nil
	}
	switch {
	case !isOwner(e.Owner):
		return e, nil, fmt.Errorf("ledger: a %s entry needs its owner, as Log.Owner names them", e.Kind)
	case e.Ref != "":
		return e, nil, fmt.Errorf("ledger: a %s entry's ref is the ledger's own random one, not %q", e.Kind, e.Ref)
	}
	random := make([]byte, saltSize+refSize)
	rand.Read(random) // never fails, by crypto/rand's promise
	o := &Opening{Owner: e.Owner, Salt: random[:saltSize]}
	e.Subject = Commit(o.Owner, o.Salt)
	e.Ref = refPrefix + base64.RawURLEncoding.EncodeToString(random[saltSize:])
	e.Owner = ""
	return e, o, nil
}
