// Package api publishes the OpenAPI 3.1 description of the JSON API under
// /api/v1/. The document is written by hand, next to this file, and a test
// checks it against the routes the server really registers.
package api
