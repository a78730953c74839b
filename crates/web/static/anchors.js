// The Career Anchor inventory: keeps the "answered n of 40" counter current while the
// statements are rated. The page works without it (the server renders the count).
document.addEventListener('DOMContentLoaded', () => {
  const progress = document.querySelector('[data-inventory-progress]');
  if (!progress) return;
  const bar = progress.querySelector('progress');
  const count = progress.querySelector('[data-answered]');
  const groups = document.querySelectorAll('.inventory .scale');
  const update = () => {
    const answered = Array.from(groups).filter((g) => g.querySelector('input:checked')).length;
    count.textContent = String(answered);
    bar.value = answered;
  };
  document.querySelector('.inventory')?.addEventListener('change', update);
  update();
});
