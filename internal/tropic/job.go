package tropic

// Job is background work queued in the transaction of the change that causes it, so
// that it is queued if and only if the change commits. Kind names it; its fields are
// its JSON arguments. (River's JobArgs is this interface.)
type Job interface{ Kind() string }

// UrgentReportJob e-mails the triage addresses about an urgent or emergency report:
// reference, urgency, district and a link only.
type UrgentReportJob struct {
	ReportID int64 `json:"report_id"`
}

// Kind names the job.
func (UrgentReportJob) Kind() string { return "urgent_report_email" }

// ReportPassedJob e-mails an agency's inbox address that a report was passed to it:
// reference, urgency, district and a link only.
type ReportPassedJob struct {
	ReportID int64 `json:"report_id"`
	AgencyID int64 `json:"agency_id"`
}

// Kind names the job.
func (ReportPassedJob) Kind() string { return "report_passed_email" }
