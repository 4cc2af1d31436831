package apptest

import (
	"context"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/demo"
)

// WithPlaces imports the demo places into the app.
func (ta *App) WithPlaces(t testing.TB) {
	t.Helper()
	if _, _, _, err := demo.ImportPlaces(context.Background(), ta.Places, 0, time.Now()); err != nil {
		t.Fatal(err)
	}
}

// WithBooking imports the demo places and opens their booking.
func (ta *App) WithBooking(t testing.TB) {
	t.Helper()
	ta.WithPlaces(t)
	if _, _, err := demo.OpenBooking(context.Background(), ta.DB, ta.Places, ta.Booking, ta.Board); err != nil {
		t.Fatal(err)
	}
}
