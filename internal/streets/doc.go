// Package streets owns the walking street network behind the "15-minute
// city" figures: which facilities a citizen can walk to, and which living
// zones lack a service within a walk of some minutes.
//
// Load reads an OpenStreetMap extract (.osm.pbf) with paulmach/osm and keeps
// the ways people may walk along: footways, paths, steps, residential and
// other ordinary roads, with foot=* deciding over access=* and over the
// highway's kind (so no motorway unless foot=yes, no foot=no, no
// access=private unless foot=yes). Each street segment is an edge walkable
// both ways, its length the great-circle distance; steps and ways tagged
// wheelchair=no are marked, and a step-free Profile goes round them.
// A way clipped at the extract's boundary keeps its segments whose nodes are
// in the file, and Stats counts what was lost.
//
// Reach walks from a set of sources (a category's facilities, or one home)
// up to a time limit; Times.At then gives the time to any point. Points off
// the graph are put on it at the nearest node (Snap, at most SnapLimit away)
// and the straight walk there counts as walking time.
//
// Synthesize writes a city-sized synthetic extract, for `maeul bench` and
// for tests, which build their own extracts and commit none.
//
// The rule here: a Graph is never changed after Load, so a Graph and the
// Times it returns may be shared by any number of goroutines; Reach takes
// its working memory from a pool and allocates only its answer.
package streets
