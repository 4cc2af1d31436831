package streets

// entry is a node waiting in the queue at a tentative distance in metres.
type entry struct {
	metres float32
	node   int32
}

// queue is a 4-ary min-heap: shallower than a binary one, and a node's four
// children share a cache line. Entries superseded by a shorter distance stay
// in it and are skipped when popped, which is cheaper than decreasing keys.
type queue []entry

func (q *queue) push(e entry) {
	h := append(*q, e)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 4
		if h[p].metres <= e.metres {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
	*q = h
}

func (q *queue) pop() entry {
	h := *q
	top := h[0]
	last := h[len(h)-1]
	h = h[:len(h)-1]
	n := len(h)
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		for k := c + 1; k < c+4 && k < n; k++ {
			if h[k].metres < h[m].metres {
				m = k
			}
		}
		if h[m].metres >= last.metres {
			break
		}
		h[i] = h[m]
		i = m
	}
	if n > 0 {
		h[i] = last
	}
	*q = h
	return top
}

// workspace is what one Reach works in, kept in the graph's pool so that
// repeated calls allocate nothing but their answer. A node's distance is
// valid only if its slot carries the current run's number, so a run starts
// without clearing anything.
type workspace struct {
	slots   []slot
	run     uint32
	touched []int32 // the nodes given a distance in this run
	queue   queue
}

type slot struct {
	metres float32
	run    uint32
}

func (g *Graph) workspace() *workspace {
	w, _ := g.work.Get().(*workspace)
	if w == nil {
		w = &workspace{slots: make([]slot, g.nodes())}
	}
	w.run++
	if w.run == 0 {
		clear(w.slots)
		w.run = 1
	}
	w.touched, w.queue = w.touched[:0], w.queue[:0]
	return w
}
