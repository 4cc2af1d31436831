package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"

	"github.com/maeul/maeul/internal/errs"
)

// TileReader reads the hashes of a tile, at least width of them: from the
// database, or from a log's tiles over HTTP.
type TileReader func(ctx context.Context, level int, index uint64, width int) ([]byte, error)

// nodeHashes computes the hashes of complete tree nodes from tiles, reading
// each tile once.
type nodeHashes struct {
	read  TileReader
	size  uint64
	tiles map[tileKey][]byte
}

func (n *nodeHashes) tile(ctx context.Context, level int, index uint64) ([]byte, error) {
	k := tileKey{level, index}
	if t, ok := n.tiles[k]; ok {
		return t, nil
	}
	// The width of the tile at this tree size: full unless it is the last.
	nodes := n.size >> (8 * uint(level))
	width := TileWidth
	if index == nodes/TileWidth {
		width = int(nodes % TileWidth)
	}
	t, err := n.read(ctx, level, index, width)
	if err != nil {
		return nil, err
	}
	if len(t) < width*HashSize {
		return nil, fmt.Errorf("ledger: tile %d/%d has %d hashes, want %d", level, index, len(t)/HashSize, width)
	}
	n.tiles[k] = t[:width*HashSize]
	return n.tiles[k], nil
}

// hash is the hash of a complete node: read from the tile of its level if
// it is on a tile level, else computed from the tile level below it.
func (n *nodeHashes) hash(ctx context.Context, id compact.NodeID) ([]byte, error) {
	tl, sub := int(id.Level/8), id.Level%8
	first := id.Index << sub // the node's leftmost descendant on the tile level
	t, err := n.tile(ctx, tl, first/TileWidth)
	if err != nil {
		return nil, err
	}
	off := int(first % TileWidth)
	count := 1 << sub
	if (off+count)*HashSize > len(t) {
		return nil, fmt.Errorf("ledger: node %d/%d is beyond the tree", id.Level, id.Index)
	}
	level := make([][]byte, count)
	for i := range level {
		level[i] = t[(off+i)*HashSize : (off+i+1)*HashSize]
	}
	for len(level) > 1 {
		up := make([][]byte, len(level)/2)
		for i := range up {
			up[i] = hasher.HashChildren(level[2*i], level[2*i+1])
		}
		level = up
	}
	return level[0], nil
}

func (n *nodeHashes) proof(ctx context.Context, nodes proof.Nodes) ([][]byte, error) {
	hs := make([][]byte, len(nodes.IDs))
	for i, id := range nodes.IDs {
		h, err := n.hash(ctx, id)
		if err != nil {
			return nil, err
		}
		hs[i] = h
	}
	return nodes.Rehash(hs, hasher.HashChildren)
}

// InclusionProof proves that entry index is in the tree of size, from
// tiles that read gives.
func InclusionProof(ctx context.Context, read TileReader, index, size uint64) ([][]byte, error) {
	nodes, err := proof.Inclusion(index, size)
	if err != nil {
		return nil, err
	}
	return (&nodeHashes{read: read, size: size, tiles: map[tileKey][]byte{}}).proof(ctx, nodes)
}

// ConsistencyProof proves that the tree of size1 is a prefix of the tree of
// size2.
func ConsistencyProof(ctx context.Context, read TileReader, size1, size2 uint64) ([][]byte, error) {
	nodes, err := proof.Consistency(size1, size2)
	if err != nil {
		return nil, err
	}
	return (&nodeHashes{read: read, size: size2, tiles: map[tileKey][]byte{}}).proof(ctx, nodes)
}

// ReadTile reads a tile from the database: the hashes of a tile, or for
// level -1 the entry bundle, with at least width items.
func (l *Log) ReadTile(ctx context.Context, level int, index uint64, width int) ([]byte, error) {
	size, err := l.Size(ctx)
	if err != nil {
		return nil, err
	}
	first := index * TileWidth
	if level < 0 {
		if first+uint64(width) > size {
			return nil, errs.New(errs.NotFound, "ledger.tile_not_found")
		}
		rows, err := l.db.Query(ctx, `SELECT data FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx`, int64(first), int64(first)+int64(width))
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var b []byte
		for rows.Next() {
			var data []byte
			if err := rows.Scan(&data); err != nil {
				return nil, err
			}
			b = appendBundleEntry(b, data)
		}
		return b, rows.Err()
	}
	if (first+uint64(width))<<(8*uint(level)) > size {
		return nil, errs.New(errs.NotFound, "ledger.tile_not_found")
	}
	var hashes []byte
	err = l.db.QueryRow(ctx, `SELECT hashes FROM ledger_tiles WHERE level = $1 AND idx = $2`, level, int64(index)).Scan(&hashes)
	if errors.Is(err, sql.ErrNoRows) || len(hashes) < width*HashSize {
		return nil, errs.New(errs.NotFound, "ledger.tile_not_found")
	}
	if err != nil {
		return nil, err
	}
	return hashes[:width*HashSize], nil
}

// Size is the number of entries integrated into the tree.
func (l *Log) Size(ctx context.Context) (uint64, error) {
	var s int64
	err := l.db.QueryRow(ctx, `SELECT size FROM ledger_tree WHERE id = 1`).Scan(&s)
	return uint64(s), err
}
