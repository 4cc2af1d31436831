// Package ops serves the operator endpoints: liveness (/healthz), readiness
// (/readyz, which checks the database) and Prometheus metrics (/metrics).
package ops
