// Package interoptest runs the independent Node implementations installed
// by tools/interop/install.sh, for the interoperability tests of sdjwt and
// dcql. A missing node or package skips the test, and fails it when CI=true.
package interoptest
