// Package practice owns the practice emulators: each emulator is a
// scenario file (screens, their buttons, what the screen shows, the words
// read aloud, the steps of its tasks, in Korean and English) that tutors
// write without Go, in the repository or in a directory given to serve.
// Files are read and checked when the platform starts; a broken one is
// refused with its file, line and reason, in the tutor's language.
//
// It also keeps progress: tasks finished step by step or on one's own,
// in the learner's account or, without one, on their device in a signed
// cookie; challenge sets (sets.yaml) that, finished, count toward a
// learning-centre course in the same transaction; and the tutor's view of
// a class. A practice's state travels in its links, signed, so nothing
// times out and no finish can be written by hand.
package practice
