package identity

import (
	"context"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
)

func TestProofingBeforeIssuance(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newCardFixture(t, d)
		ctx := context.Background()
		// A second resident, not yet checked, gets no card.
		other := Resident{RegistryID: "R-0002", Name: "박 철수", BirthDate: time.Date(1985, 11, 30, 0, 0, 0, 0, time.UTC), District: "21050",
			Zone: "JIN-1", HouseholdID: "H-9", Phone: "+821055556666"}
		if err := f.registry.Import(ctx, []Resident{other}); err != nil {
			t.Fatal(err)
		}
		var id int64
		d.Read().QueryRowContext(ctx, `SELECT id FROM residents WHERE registry_id = 'R-0002'`).Scan(&id)
		_, pub := holderKeys(1)
		if _, err := f.cards.Issue(ctx, id, testIssuer, pub); !hasKey(err, "identity.not_proofed") {
			t.Fatalf("issued without proofing: %v", err)
		}

		var citizenID int64
		if err := d.Write().QueryRowContext(ctx, `INSERT INTO users (role, name, phone, created_at) VALUES ('citizen', '박철수', '+821055556666', $1) RETURNING id`,
			db.Time(f.now)).Scan(&citizenID); err != nil {
			t.Fatal(err)
		}
		citizen := func(phone string) context.Context {
			return actor.With(ctx, &actor.Actor{Person: actor.Person{ID: citizenID, Role: actor.Citizen, Phone: phone}, Channel: actor.Online})
		}
		birth := time.Date(1985, 11, 30, 0, 0, 0, 0, time.UTC)
		for _, c := range []struct {
			name  string
			ctx   context.Context
			who   string
			birth time.Time
		}{
			{"wrong birth date", citizen("+821055556666"), "박철수", birth.AddDate(0, 0, 1)},
			{"wrong name", citizen("+821055556666"), "김철수", birth},
			{"another phone", citizen("+821099990000"), "박철수", birth},
		} {
			if _, err := f.registry.ProofBySignIn(c.ctx, c.who, c.birth); !hasKey(err, "identity.no_match") {
				t.Errorf("%s: %v", c.name, err)
			}
		}
		if _, err := f.registry.ProofBySignIn(ctx, "박철수", birth); errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("anonymous: %v", err)
		}
		r, err := f.registry.ProofBySignIn(citizen("+821055556666"), "박철수", birth)
		if err != nil || r.ID != id {
			t.Fatalf("matching citizen: %v", err)
		}
		if _, err := f.cards.Issue(ctx, id, testIssuer, pub); err != nil {
			t.Fatalf("issue after proofing: %v", err)
		}
		f.now = f.now.Add(ProofValidity + time.Hour)
		if _, err := f.cards.Issue(ctx, id, testIssuer, pub); !hasKey(err, "identity.not_proofed") {
			t.Fatalf("an old proofing still allows issuance: %v", err)
		}
		if _, err := f.registry.RecordInPerson(staffCtx(t, d), id, "library_card"); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("unknown document: %v", err)
		}
		if _, err := f.registry.RecordInPerson(citizen("+821055556666"), id, "passport"); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("citizen recording an in-person check: %v", err)
		}
	})
}
