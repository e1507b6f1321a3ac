import { initAll } from '/static/govuk/govuk-frontend.min.js'
initAll()

// The public report form folds "Your details" away; choosing to give them opens it.
// Without JavaScript the form asks for them on its field if they are left out.
const giveDetails = document.getElementById('reporter_anonymous-2')
const yourDetails = document.getElementById('group-details')
if (giveDetails && yourDetails) {
  giveDetails.addEventListener('change', () => { yourDetails.open = giveDetails.checked || yourDetails.open })
}
