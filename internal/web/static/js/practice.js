// Reads the practice screen aloud with the browser's speech synthesis: the
// words the machine would say, then what to do now. Browsers let a page
// speak only after the person has pressed something on it, so this is a
// button ("listen"), shown only where speech is available; the page says
// the same in writing.
(function () {
  'use strict';
  const button = document.getElementById('practice-speak');
  const island = document.getElementById('practice-data');
  if (!button || !island || !('speechSynthesis' in window)) {
    return;
  }
  let data;
  try {
    data = JSON.parse(island.textContent);
  } catch (e) {
    return;
  }
  button.hidden = false;
  button.addEventListener('click', () => {
    window.speechSynthesis.cancel();
    (data.lines || []).forEach((text) => {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = data.lang === 'en' ? 'en-US' : 'ko-KR';
      // A little slower than the default: the learners are taking their time.
      u.rate = 0.9;
      window.speechSynthesis.speak(u);
    });
  });
})();
