package practice

import (
	"net/http"
	"strconv"

	"github.com/maeul/maeul/internal/errs"
)

func (h *Handlers) classes(w http.ResponseWriter, r *http.Request) error {
	list, err := h.svc.Classes(r.Context())
	if err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "classes", map[string]any{"Classes": list, "Lang": lang(r)})
}

// scenarioCell is one learner's progress on one emulator's tasks.
type scenarioCell struct {
	Challenge, Guided, Tasks int // tasks done on their own, done step by step (only), of all
}

func (h *Handlers) class(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("class"), 10, 64)
	if err != nil {
		return errs.New(errs.NotFound, "practice.class_not_found")
	}
	class, learners, err := h.svc.ClassProgress(r.Context(), id)
	if err != nil {
		return err
	}
	type row struct {
		Name  string
		Cells []scenarioCell
		Sets  []SetProgress
	}
	rows := make([]row, len(learners))
	for i, lp := range learners {
		rows[i] = row{Name: lp.Name, Sets: lp.Sets}
		cells := map[string]*scenarioCell{}
		for _, s := range h.svc.Scenarios() {
			c := &scenarioCell{Tasks: len(s.Tasks)}
			cells[s.ID] = c
		}
		for _, tp := range lp.Tasks {
			c := cells[tp.Scenario.ID]
			switch {
			case tp.Best != nil:
				c.Challenge++
			case tp.Guided:
				c.Guided++
			}
		}
		for _, s := range h.svc.Scenarios() {
			rows[i].Cells = append(rows[i].Cells, *cells[s.ID])
		}
	}
	return h.views.Render(w, r, http.StatusOK, "class", map[string]any{"Class": class, "Rows": rows, "Lang": lang(r),
		"Scenarios": h.svc.Scenarios(), "Sets": h.svc.Sets()})
}
