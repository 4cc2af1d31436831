package streets

import "math"

// SnapLimit is how far, in metres, a point may be from the nearest graph
// node and still be put on the graph. Farther than that, the street it is on
// is missing from the extract, or it is outside it.
const SnapLimit = 500.0

// grid is the spatial index: equal cells in degrees over the nodes' bounding
// box, about two nodes to a cell where the streets are even, and the nodes
// numbered so that a cell's are consecutive.
type grid struct {
	west, south float64 // the south-west corner, in e7 degrees
	dLon, dLat  float64 // a cell's size, in e7 degrees
	cols, rows  int
	start       []int32 // the nodes of cell c are start[c]..start[c+1]-1
}

// newGrid builds the grid over the nodes keep (indices into lon and lat) and
// returns them in their new order, cell by cell and in their old order
// within a cell.
func newGrid(lon, lat []int32, keep []int32) (grid, []int32) {
	west, east, south, north := int32(math.MaxInt32), int32(math.MinInt32), int32(math.MaxInt32), int32(math.MinInt32)
	for _, i := range keep {
		west, east = min(west, lon[i]), max(east, lon[i])
		south, north = min(south, lat[i]), max(north, lat[i])
	}
	cosMid := max(math.Cos(deg(south/2+north/2)*radians), 0.01)
	perE7 := metresPerDegree / 1e7
	w := float64(east-west) * perE7 * cosMid
	h := float64(north-south) * perE7
	n := len(keep)
	side := max(50, 1.4*math.Sqrt(w*h/float64(n)))
	var cols, rows int
	for {
		cols, rows = int(w/side)+1, int(h/side)+1
		if cols*rows <= 2*n+16 {
			break
		}
		side *= 1.5
	}
	gr := grid{
		west: float64(west), south: float64(south),
		dLon: side / (perE7 * cosMid), dLat: side / perE7,
		cols: cols, rows: rows,
		start: make([]int32, cols*rows+1),
	}
	cells := make([]int32, n)
	for k, i := range keep {
		c := gr.cell(float64(lon[i]), float64(lat[i]))
		cells[k] = c
		gr.start[c+1]++
	}
	for c := range cols * rows {
		gr.start[c+1] += gr.start[c]
	}
	next := make([]int32, cols*rows)
	copy(next, gr.start)
	sorted := make([]int32, n)
	for k, i := range keep {
		sorted[next[cells[k]]] = i
		next[cells[k]]++
	}
	return gr, sorted
}

func (gr *grid) cell(x, y float64) int32 {
	c := min(max(int((x-gr.west)/gr.dLon), 0), gr.cols-1)
	r := min(max(int((y-gr.south)/gr.dLat), 0), gr.rows-1)
	return int32(r*gr.cols + c)
}

// Snap finds the graph node nearest to a point and its distance in metres;
// ok is false if none is within SnapLimit.
func (g *Graph) Snap(lon, lat float64) (node int32, metres float64, ok bool) {
	if !(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) {
		return -1, 0, false
	}
	gr := &g.grid
	x, y := lon*1e7, lat*1e7
	// Distances are measured on a plane tangent at the point; within
	// SnapLimit it differs from the sphere by less than a millimetre.
	kx := metresPerDegree / 1e7 * math.Cos(lat*radians)
	ky := metresPerDegree / 1e7
	cellMin := min(gr.dLon*kx, gr.dLat*ky)
	fx, fy := (x-gr.west)/gr.dLon, (y-gr.south)/gr.dLat
	// Far outside the grid the rings below would find nothing.
	ox := max(0, -fx, fx-float64(gr.cols)) * gr.dLon * kx
	oy := max(0, -fy, fy-float64(gr.rows)) * gr.dLat * ky
	if math.Hypot(ox, oy) > SnapLimit {
		return -1, 0, false
	}
	cx, cy := int(math.Floor(fx)), int(math.Floor(fy))
	best, bestD := int32(-1), math.Inf(1)
	for r := 0; ; r++ {
		// Every node in ring r or beyond is at least r-1 cells away.
		bound := float64(r-1) * cellMin
		if bound > SnapLimit || (best >= 0 && bestD <= bound*bound) {
			break
		}
		if cx-r < 0 && cy-r < 0 && cx+r >= gr.cols && cy+r >= gr.rows && r > 0 {
			break // the previous ring covered the whole grid
		}
		for j := max(cy-r, 0); j <= min(cy+r, gr.rows-1); j++ {
			step := 1
			if j != cy-r && j != cy+r {
				step = 2 * r // only the ring's two sides
			}
			for i := cx - r; i <= cx+r; i += step {
				if i < 0 || i >= gr.cols {
					continue
				}
				c := j*gr.cols + i
				for v := gr.start[c]; v < gr.start[c+1]; v++ {
					dx := (float64(g.lon[v]) - x) * kx
					dy := (float64(g.lat[v]) - y) * ky
					if d := dx*dx + dy*dy; d < bestD {
						best, bestD = v, d
					}
				}
			}
		}
	}
	if best < 0 {
		return -1, 0, false
	}
	m := haversine(lon, lat, deg(g.lon[best]), deg(g.lat[best]))
	if m > SnapLimit {
		return -1, 0, false
	}
	return best, m, true
}
