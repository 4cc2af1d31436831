package web

import (
	"reflect"
	"testing"

	"github.com/maeul/maeul/internal/actor"
)

// Breadcrumbs lead back from a page below a menu entry to that entry and
// the home; the home, a menu entry's own page, a page outside the menu and a
// step of a task have none.
func TestCrumbs(t *testing.T) {
	t.Parallel()
	nav := MenuFor([]NavItem{
		{Key: "nav.places", Href: "/places", Group: GroupTown},
		{Key: "nav.zones", Href: "/places/zones", Group: GroupTown},
		{Key: "nav.book", Href: "/book?near=", Group: GroupTown},
		{Key: "nav.home", Href: "/", Group: GroupHelp},
	}, nil)
	citizen := &actor.Actor{Person: actor.Person{Role: actor.Citizen}}
	for _, c := range []struct {
		path  string
		actor *actor.Actor
		task  bool
		want  []Crumb
	}{
		{"/", nil, false, nil},
		{"/places", nil, false, nil},
		{"/placesx/1", nil, false, nil},
		{"/elsewhere/1", nil, false, nil},
		{"/places/facilities/444", nil, false, []Crumb{{"layout.crumb_home", "/"}, {"nav.places", "/places"}}},
		{"/places/zones/z1", citizen, false, []Crumb{{"home.title", "/"}, {"nav.zones", "/places/zones"}}},
		{"/book/facilities/3", citizen, false, []Crumb{{"home.title", "/"}, {"nav.book", "/book"}}},
		{"/book/resources/3/slot", citizen, true, nil},
	} {
		v := &View{Nav: nav, Path: c.path, Actor: c.actor, task: c.task}
		if got := v.Crumbs(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s (task %v): crumbs %v, want %v", c.path, c.task, got, c.want)
		}
	}
}
