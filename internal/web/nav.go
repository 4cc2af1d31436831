package web

import (
	"context"

	"github.com/maeul/maeul/internal/actor"
)

// NavItem is a link in the main navigation. With Roles set only those roles
// see it; with SignedIn set any signed-in user does; otherwise everyone.
type NavItem struct {
	Key      string // catalogue key of the label
	Href     string
	Roles    []actor.Role
	SignedIn bool
}

// AddNav adds items to the main navigation; parts call it while they
// register their routes.
func (rt *Router) AddNav(items ...NavItem) { rt.nav = append(rt.nav, items...) }

type navKey struct{}

func navFor(ctx context.Context, a *actor.Actor) []NavItem {
	all, _ := ctx.Value(navKey{}).([]NavItem)
	var out []NavItem
	for _, it := range all {
		switch {
		case len(it.Roles) > 0:
			if a.Is(it.Roles...) {
				out = append(out, it)
			}
		case it.SignedIn:
			if a != nil {
				out = append(out, it)
			}
		default:
			out = append(out, it)
		}
	}
	return out
}
