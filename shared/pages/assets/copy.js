// The customer pages' Copy buttons: `data-copy` holds the text (read at the click, so a page's
// script may change it), `data-copied` the label shown for two seconds after.
(() => {
  for (const button of document.querySelectorAll('[data-copy]')) {
    const label = button.textContent;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy);
      } catch {
        // No clipboard permission (plain http on another host): select the text instead.
        const target = button.previousElementSibling;
        if (target) getSelection().selectAllChildren(target);
        return;
      }
      button.textContent = button.dataset.copied;
      button.classList.add('copied');
      setTimeout(() => {
        button.textContent = label;
        button.classList.remove('copied');
      }, 2000);
    });
  }
})();
