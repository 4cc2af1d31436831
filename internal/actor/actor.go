package actor

import (
	"context"

	"github.com/maeul/maeul/internal/errs"
)

// Role is what a user may do. A user holds one role.
type Role string

const (
	Citizen     Role = "citizen"
	Tutor       Role = "tutor"
	Operator    Role = "operator"     // call-centre operator
	Guide       Role = "guide"        // digital guide
	CentreAdmin Role = "centre_admin" // runs courses, venues and statistics
	Verifier    Role = "verifier"     // checks citizen cards for a relying party (a hospital, an office)
	FundsAdmin  Role = "funds_admin"  // defines policy-fund programmes
	SysAdmin    Role = "sysadmin"
)

// Roles lists every role in the order staff pages show them.
var Roles = []Role{Citizen, Tutor, Operator, Guide, CentreAdmin, FundsAdmin, Verifier, SysAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Staff reports whether r signs in with a password rather than a phone code.
func (r Role) Staff() bool { return r != Citizen && r.Valid() }

// Channels through which something is done for a citizen.
const (
	Online   = "online"
	Phone    = "phone"
	InPerson = "in_person"
)

// Person is the part of a user that pages show.
type Person struct {
	ID    int64
	Name  string
	Phone string
	Role  Role
}

// Actor is the authenticated principal of a request.
type Actor struct {
	Person
	SessionID string
	ActingFor *Person // set while an operator or guide acts for a citizen
	Channel   string  // Online, or the channel of the acting-for session
}

// Is reports whether the actor holds one of roles; a system admin holds all.
func (a *Actor) Is(roles ...Role) bool {
	if a == nil {
		return false
	}
	if a.Role == SysAdmin {
		return true
	}
	for _, r := range roles {
		if a.Role == r {
			return true
		}
	}
	return false
}

// Subject is the citizen on whose behalf the request acts: the citizen being
// helped while acting for one, otherwise the actor.
func (a *Actor) Subject() Person {
	if a.ActingFor != nil {
		return *a.ActingFor
	}
	return a.Person
}

type ctxKey struct{}

// With returns ctx carrying a.
func With(ctx context.Context, a *Actor) context.Context { return context.WithValue(ctx, ctxKey{}, a) }

// From returns the actor of ctx, or nil for an anonymous request.
func From(ctx context.Context) *Actor {
	a, _ := ctx.Value(ctxKey{}).(*Actor)
	return a
}

// ChannelOf returns the channel of ctx's actor, Online when anonymous.
func ChannelOf(ctx context.Context) string {
	if a := From(ctx); a != nil && a.Channel != "" {
		return a.Channel
	}
	return Online
}

// Require returns the actor of ctx, or a safe error when there is none or
// it holds none of roles (no roles: anyone signed in).
func Require(ctx context.Context, roles ...Role) (*Actor, error) {
	a := From(ctx)
	if a == nil {
		return nil, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	if len(roles) > 0 && !a.Is(roles...) {
		return nil, errs.New(errs.Forbidden, "error.forbidden")
	}
	return a, nil
}
