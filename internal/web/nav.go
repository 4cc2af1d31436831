package web

import (
	"context"

	"github.com/maeul/maeul/internal/actor"
)

// NavItem is a link in the main navigation. With Roles set only those roles
// see it; with SignedIn set any signed-in user does; otherwise everyone.
// Group places it under one of the menu's headings (the Group* constants).
type NavItem struct {
	Key      string // catalogue key of the label
	Href     string
	Group    string
	Roles    []actor.Role
	SignedIn bool
}

// The menu's groups: what a person wants to do, not which part does it.
// Citizens see the first six; staff see their work's groups first and the
// citizens' pages they may open under one "for citizens" group.
const (
	GroupLearn     = "learn"      // 배우기
	GroupPractice  = "practice"   // 연습하기
	GroupCard      = "card"       // 내 시민카드와 지갑
	GroupBenefits  = "benefits"   // 혜택과 포인트
	GroupTown      = "town"       // 우리 동네
	GroupHelp      = "help"       // 도움 받기
	GroupWorkLearn = "work_learn" // 교육 운영
	GroupWorkCard  = "work_card"  // 시민카드 업무
	GroupWorkFunds = "work_funds" // 정책자금 업무
	GroupWorkTown  = "work_town"  // 동네·안내사 업무
	GroupWorkAdmin = "work_admin" // 운영 관리
	groupPublic    = "public"     // staff's view of the citizens' groups
)

var (
	citizenGroups = []string{GroupLearn, GroupPractice, GroupCard, GroupBenefits, GroupTown, GroupHelp}
	staffGroups   = []string{GroupWorkLearn, GroupWorkCard, GroupWorkFunds, GroupWorkTown, GroupWorkAdmin, groupPublic}
)

// NavGroup is one heading of the menu with the links under it.
type NavGroup struct {
	ID    string
	Key   string // catalogue key of the heading
	Items []NavItem
}

// Current reports whether path is one of the group's pages, so the menu can
// mark where the person is.
func (g NavGroup) Current(path string) bool {
	for _, it := range g.Items {
		if it.Href == path {
			return true
		}
	}
	return false
}

// AddNav adds items to the main navigation; parts call it while they
// register their routes. An item without a group panics at start, so a new
// page cannot fall out of the menu unnoticed.
func (rt *Router) AddNav(items ...NavItem) {
	for _, it := range items {
		if !knownGroup(it.Group) {
			panic("web: nav item " + it.Href + " has no known group: " + it.Group)
		}
	}
	rt.nav = append(rt.nav, items...)
}

// Nav returns every item registered, for tests that walk the whole menu.
func (rt *Router) Nav() []NavItem { return append([]NavItem(nil), rt.nav...) }

func knownGroup(g string) bool {
	for _, x := range citizenGroups {
		if x == g {
			return true
		}
	}
	for _, x := range staffGroups[:len(staffGroups)-1] {
		if x == g {
			return true
		}
	}
	return false
}

type navKey struct{}

// visible reports whether a may see it.
func (it NavItem) visible(a *actor.Actor) bool {
	switch {
	case len(it.Roles) > 0:
		return a.Is(it.Roles...)
	case it.SignedIn:
		return a != nil
	default:
		return true
	}
}

// MenuFor groups the items a may see, in the menu's order; empty groups are
// left out.
func MenuFor(items []NavItem, a *actor.Actor) []NavGroup {
	staff := a != nil && a.Role.Staff() && a.ActingFor == nil
	order := citizenGroups
	if staff {
		order = staffGroups
	}
	byGroup := map[string][]NavItem{}
	for _, it := range items {
		if !it.visible(a) {
			continue
		}
		g := it.Group
		if staff && !isWorkGroup(g) {
			g = groupPublic
		}
		byGroup[g] = append(byGroup[g], it)
	}
	var out []NavGroup
	for _, g := range order {
		if len(byGroup[g]) > 0 {
			out = append(out, NavGroup{ID: g, Key: groupKey(g), Items: byGroup[g]})
		}
	}
	return out
}

func isWorkGroup(g string) bool {
	for _, x := range staffGroups {
		if x == g {
			return true
		}
	}
	return false
}

func navFor(ctx context.Context, a *actor.Actor) []NavGroup {
	all, _ := ctx.Value(navKey{}).([]NavItem)
	return MenuFor(all, a)
}

// groupKey is the catalogue key of a group's heading.
func groupKey(g string) string { return "nav.group." + g }
