package practice

// Text is a sentence in both languages the platform speaks.
type Text struct {
	Ko string `yaml:"ko"`
	En string `yaml:"en"`
}

// In is the text in lang.
func (t Text) In(lang string) string {
	if lang == "en" && t.En != "" {
		return t.En
	}
	return t.Ko
}

// Scenario is one emulator: a machine's screens and the tasks practised on
// them.
type Scenario struct {
	ID      string   `yaml:"id"`
	Machine string   `yaml:"machine"`
	Title   Text     `yaml:"title"`
	Summary Text     `yaml:"summary"`
	Start   string   `yaml:"start"`
	Screens []Screen `yaml:"screens"`
	Tasks   []Task   `yaml:"tasks"`
	// File is where the scenario was read from, for messages.
	File string `yaml:"-"`
}

// Screen is what the machine shows at one moment.
type Screen struct {
	ID    string `yaml:"id"`
	Title Text   `yaml:"title"`
	Say   Text   `yaml:"say"` // read aloud when the screen appears
	// Show is what the machine displays besides its buttons: the order so
	// far, a balance, the text of a message.
	Show    []Text   `yaml:"show"`
	Buttons []Button `yaml:"buttons"`
}

// Button is a control on a screen and the screen it leads to.
type Button struct {
	ID    string `yaml:"id"`
	Label Text   `yaml:"label"`
	Go    string `yaml:"go"`
	// Hint is the gentle word said, instead of an error sound, when the
	// button is pressed where a task does not go.
	Hint Text `yaml:"hint"`
}

// Task is a challenge practised on the machine: the steps that complete
// it, each with the instruction guided mode shows and reads aloud.
type Task struct {
	ID    string `yaml:"id"`
	Title Text   `yaml:"title"`
	Steps []Step `yaml:"steps"`
}

// Step is one press of a button on a screen.
type Step struct {
	Screen string `yaml:"screen"`
	Button string `yaml:"button"`
	Say    Text   `yaml:"say"`
}

// Machines are the kinds of machine there are emulators of.
var Machines = []string{"food-kiosk", "certificate-kiosk", "ticket-kiosk", "movie-kiosk", "atm", "hospital-kiosk",
	"payment-app", "mobile-id", "fraud-drill"}

// Screen returns the screen of an id.
func (s *Scenario) Screen(id string) (*Screen, bool) {
	for i := range s.Screens {
		if s.Screens[i].ID == id {
			return &s.Screens[i], true
		}
	}
	return nil, false
}

// Button returns the button of an id on the screen.
func (sc *Screen) Button(id string) (*Button, bool) {
	for i := range sc.Buttons {
		if sc.Buttons[i].ID == id {
			return &sc.Buttons[i], true
		}
	}
	return nil, false
}
