// Package qr owns drawing QR codes for tickets and check-in links: an inline
// SVG for pages, which stays sharp at any zoom, and a PNG for e-mail and
// print. Encoding is left to github.com/boombuler/barcode; this package only
// turns its module matrix into pixels with the quiet zone scanners need.
package qr
