package sdjwt

import "fmt"

// resolver matches disclosures to the digests of a payload and substitutes
// them (RFC 9901 section 7.1, steps 3 to 5). Holder and verifier share it so
// that a holder never presents what a verifier would refuse.
type resolver struct {
	byDigest map[string]*disclosure
	seen     map[string]struct{}
	// path is the position of the value being resolved, object keys as
	// strings and array indexes as ints; visit, when set, is called for every
	// disclosure found, reachable or not.
	path  []any
	visit func(path []any, d *disclosure)
}

func newResolver(encoded []string) (*resolver, error) {
	r := &resolver{
		byDigest: make(map[string]*disclosure, len(encoded)),
		seen:     make(map[string]struct{}, len(encoded)),
	}
	for _, e := range encoded {
		d, err := decodeDisclosure(e)
		if err != nil {
			return nil, err
		}
		h := digest(e)
		if _, dup := r.byDigest[h]; dup {
			return nil, fmt.Errorf("%w: disclosure presented twice", ErrDisclosure)
		}
		r.byDigest[h] = d
	}
	return r, nil
}

// resolve returns v with every referenced disclosure substituted and
// undisclosed digests dropped; it may reuse v's maps.
func (r *resolver) resolve(v any, parent *disclosure) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		return r.object(v, parent)
	case []any:
		return r.array(v, parent)
	default:
		return v, nil
	}
}

func (r *resolver) object(obj map[string]any, parent *disclosure) (any, error) {
	for k, v := range obj {
		if k == keySD {
			continue
		}
		r.path = append(r.path, k)
		nv, err := r.resolve(v, parent)
		r.path = r.path[:len(r.path)-1]
		if err != nil {
			return nil, err
		}
		obj[k] = nv
	}
	raw, ok := obj[keySD]
	if !ok {
		return obj, nil
	}
	delete(obj, keySD)
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("%w: _sd is not an array", ErrMalformed)
	}
	for _, e := range list {
		h, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("%w: _sd holds a non-string digest", ErrMalformed)
		}
		d, err := r.lookup(h, parent)
		if err != nil {
			return nil, err
		}
		if d == nil {
			continue
		}
		if d.isArray {
			return nil, fmt.Errorf("%w: array element disclosure referenced from _sd", ErrDisclosure)
		}
		if _, exists := obj[d.name]; exists {
			return nil, fmt.Errorf("%w: claim %q is disclosed but already present", ErrDisclosure, d.name)
		}
		r.path = append(r.path, d.name)
		v, err := r.disclose(d)
		r.path = r.path[:len(r.path)-1]
		if err != nil {
			return nil, err
		}
		obj[d.name] = v
	}
	return obj, nil
}

func (r *resolver) array(arr []any, parent *disclosure) (any, error) {
	out := arr[:0]
	for i, e := range arr {
		r.path = append(r.path, i)
		v, keep, err := r.element(e, parent)
		r.path = r.path[:len(r.path)-1]
		if err != nil {
			return nil, err
		}
		if keep {
			out = append(out, v)
		}
	}
	return out, nil
}

func (r *resolver) element(e any, parent *disclosure) (any, bool, error) {
	obj, ok := e.(map[string]any)
	if !ok || len(obj) != 1 {
		v, err := r.resolve(e, parent)
		return v, true, err
	}
	raw, ok := obj[keyEllipse]
	if !ok {
		v, err := r.resolve(e, parent)
		return v, true, err
	}
	h, ok := raw.(string)
	if !ok {
		return nil, false, fmt.Errorf("%w: \"...\" holds a non-string digest", ErrMalformed)
	}
	d, err := r.lookup(h, parent)
	if err != nil || d == nil {
		return nil, false, err
	}
	if !d.isArray {
		return nil, false, fmt.Errorf("%w: object property disclosure referenced from \"...\"", ErrDisclosure)
	}
	v, err := r.disclose(d)
	return v, true, err
}

// lookup records the digest and returns its disclosure, or nil for a digest
// with none (undisclosed or decoy).
func (r *resolver) lookup(h string, parent *disclosure) (*disclosure, error) {
	if _, dup := r.seen[h]; dup {
		return nil, fmt.Errorf("%w: digest %s appears twice", ErrDigest, h)
	}
	r.seen[h] = struct{}{}
	d := r.byDigest[h]
	if d != nil {
		d.used = true
		d.parent = parent
	}
	return d, nil
}

func (r *resolver) disclose(d *disclosure) (any, error) {
	if r.visit != nil {
		r.visit(r.path, d)
	}
	return r.resolve(d.value, d)
}

// unused reports the first disclosure no digest references: accepting it
// would let a holder smuggle claims the issuer never signed.
func (r *resolver) unused() error {
	for _, d := range r.byDigest {
		if !d.used {
			return fmt.Errorf("%w: disclosure %q is not referenced by any digest", ErrDigest, d.encoded)
		}
	}
	return nil
}
