package streets

import (
	"errors"
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// The checks below accept a block only if the osmpbf decoder will read it
// without panicking: every message well formed, with the wire types the
// decoder assumes for the fields it reads (it reads them without looking),
// no groups (which it does not skip), and every string index it looks up
// inside the block's table. They are stricter than the format, never looser.

var errDamaged = errors.New("damaged protobuf data")

// supported are the features that the decoder can read.
var supported = map[string]bool{"OsmSchema-V0.6": true, "DenseNodes": true, "HistoricalInformation": true}

func checkHeader(b []byte) error {
	return eachField(b, func(num protowire.Number, wt protowire.Type, v []byte) error {
		if num == 4 && wt == protowire.BytesType && !supported[string(v)] {
			return fmt.Errorf("the file needs the feature %q, which this reader lacks", v)
		}
		return nil
	})
}

func checkData(b []byte) error {
	strs := 0
	var groups [][]byte
	err := eachField(b, func(num protowire.Number, wt protowire.Type, v []byte) error {
		switch num {
		case 1:
			if wt != protowire.BytesType {
				return errDamaged
			}
			strs = 0
			return eachField(v, func(num protowire.Number, wt protowire.Type, _ []byte) error {
				if num == 1 {
					if wt != protowire.BytesType {
						return errDamaged
					}
					strs++
				}
				return nil
			})
		case 2:
			if wt != protowire.BytesType {
				return errDamaged
			}
			groups = append(groups, v)
		case 17, 18, 19, 20:
			if wt != protowire.VarintType {
				return errDamaged
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, g := range groups {
		if err := checkGroup(g, strs); err != nil {
			return err
		}
	}
	return nil
}

func checkGroup(b []byte, strs int) error {
	return eachField(b, func(num protowire.Number, wt protowire.Type, v []byte) error {
		switch num {
		case 1:
			return errors.New("nodes stored one by one rather than as DenseNodes, which this reader does not support")
		case 2, 3:
			if wt != protowire.BytesType {
				return errDamaged
			}
			if num == 2 {
				return checkDense(v, strs)
			}
			return checkWay(v, strs)
		}
		return nil
	})
}

func checkDense(b []byte, strs int) error {
	return eachField(b, func(num protowire.Number, wt protowire.Type, v []byte) error {
		switch num {
		case 1, 8, 9:
			return packed(wt)
		case 10:
			if err := packed(wt); err != nil {
				return err
			}
			return eachVarint(v, func(x uint64) error { return index(x, strs) })
		case 5:
			if wt != protowire.BytesType {
				return errDamaged
			}
			return eachField(v, func(num protowire.Number, wt protowire.Type, v []byte) error {
				if num < 1 || num > 6 {
					return nil
				}
				if err := packed(wt); err != nil {
					return err
				}
				if num != 5 {
					return nil
				}
				// user_sid: delta-coded indices, summed as the decoder does in an int32.
				var sum int64
				return eachVarint(v, func(x uint64) error {
					d := protowire.DecodeZigZag(x)
					if d < math.MinInt32 || d > math.MaxInt32 {
						return errDamaged
					}
					sum += d
					if sum < 0 {
						return fmt.Errorf("a user name index of %d", sum)
					}
					return index(uint64(sum), strs)
				})
			})
		}
		return nil
	})
}

func checkWay(b []byte, strs int) error {
	counts := [3]int{-1, -1, -1} // of fields 8, 9 and 10
	err := eachField(b, func(num protowire.Number, wt protowire.Type, v []byte) error {
		switch num {
		case 1:
			if wt != protowire.VarintType {
				return errDamaged
			}
		case 2, 3:
			if err := packed(wt); err != nil {
				return err
			}
			return eachVarint(v, func(x uint64) error { return index(x, strs) })
		case 4:
			if wt != protowire.BytesType {
				return errDamaged
			}
			return checkInfo(v, strs)
		case 8, 9, 10:
			if err := packed(wt); err != nil {
				return err
			}
			if counts[num-8] >= 0 {
				return errors.New("a way with two lists of nodes")
			}
			// The decoder sizes the way by the first list it meets and counts
			// as it does: the bytes that end a varint.
			n := 0
			for _, c := range v {
				if c < 0x80 {
					n++
				}
			}
			counts[num-8] = n
		}
		return nil
	})
	if err != nil {
		return err
	}
	n := -1
	for _, m := range counts {
		if m >= 0 && n >= 0 && m != n {
			return errors.New("a way whose node ids and coordinates differ in number")
		}
		n = max(n, m)
	}
	return nil
}

func checkInfo(b []byte, strs int) error {
	return eachField(b, func(num protowire.Number, wt protowire.Type, v []byte) error {
		if num < 1 || num > 6 {
			return nil
		}
		if wt != protowire.VarintType {
			return errDamaged
		}
		if num == 5 {
			x, _ := protowire.ConsumeVarint(v)
			return index(x, strs)
		}
		return nil
	})
}

func packed(wt protowire.Type) error {
	if wt != protowire.BytesType {
		return errDamaged
	}
	return nil
}

func index(x uint64, strs int) error {
	if x >= uint64(strs) {
		return fmt.Errorf("a string index of %d, past the block's table of %d strings", x, strs)
	}
	return nil
}

// eachField calls f with every field of the message in b: v is the content
// of a length-delimited field, or the encoded value of any other.
func eachField(b []byte, f func(num protowire.Number, wt protowire.Type, v []byte) error) error {
	for len(b) > 0 {
		num, wt, n := protowire.ConsumeTag(b)
		if n < 0 || wt == protowire.StartGroupType || wt == protowire.EndGroupType {
			return errDamaged
		}
		b = b[n:]
		var v []byte
		if wt == protowire.BytesType {
			v, n = protowire.ConsumeBytes(b)
		} else {
			n = protowire.ConsumeFieldValue(num, wt, b)
			if n >= 0 {
				v = b[:n]
			}
		}
		if n < 0 {
			return errDamaged
		}
		b = b[n:]
		if err := f(num, wt, v); err != nil {
			return err
		}
	}
	return nil
}

func eachVarint(b []byte, f func(uint64) error) error {
	for len(b) > 0 {
		x, n := protowire.ConsumeVarint(b)
		if n < 0 {
			return errDamaged
		}
		b = b[n:]
		if err := f(x); err != nil {
			return err
		}
	}
	return nil
}
