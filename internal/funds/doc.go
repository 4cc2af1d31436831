// Package funds is the policy funds part: programmes that pay points to
// citizens (budget, eligibility and benefit rules in CEL over the citizen
// card's claims and the resident registry, quota, co-payment, window,
// expiry, merchant categories). This first slice owns the programmes and
// their rules: a rule is compiled and type-checked when saved, and a dry
// run against the registry says who would qualify and what it would cost
// before the programme opens.
//
// The rules here: amounts are whole KRW; a rule is data staff write, never
// code; a programme that would cost more than its budget says so before
// it opens.
package funds
