// Package practice owns the practice emulators: each emulator is a
// scenario file (screens, their buttons, the words read aloud, the steps of
// its tasks, in Korean and English) that tutors write without Go. Files are
// read and checked when the platform starts; a broken one is refused with
// its file, line and reason, in the tutor's language.
package practice
