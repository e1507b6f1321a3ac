package linkage

import "testing"

func TestLinkageRomaniseAndSkeleton(t *testing.T) {
	for _, c := range []struct{ in, roman, skel string }{
		{"Олександр", "oleksandr", "lksndr"},
		{"Aleksandr", "aleksandr", "lksndr"},
		{"Alexander", "alexander", "lksndr"},
		{"Шевченко", "shevchenko", "svjnk"},
		{"Shevchenka", "shevchenka", "svjnk"},
		{"Ольга", "olga", "lh"},
		{"Олька", "olka", "lk"},
		{"Ольга Григорівна", "olha hryhorivna", "lhrhrvn"},
		{"محمد", "mhmd", "mhmd"},
		{"Mohamed", "mohamed", "mhmd"},
		{"Muhammad", "muhammad", "mhmd"},
		{"الحسن", "alhsn", "hsn"},
		{"Elhassan", "elhassan", "hsn"},
		{"Al-Hassan", "al-hassan", "hsn"},
		{"Hassan", "hassan", "hsn"},
		{"عبد الرحمن", "abd alrhmn", "bdrhmn"},
		{"Abdel Rahman", "abdel rahman", "bdrhmn"},
		{"Abdulrahman", "abdulrahman", "bdrhmn"},
		{"ተስፋየ", "tesfaye", "tsf"},
		{"Tesfay", "tesfay", "tsf"},
		{"ተክለ", "tekle", "tkl"},
		{"ገብረመድህን", "gebremedhn", "hbrmdn"},
		{"Gebre Medhin", "gebre medhin", "hbrmdn"},
		{"ተኽላይ", "teklay", "tkl"},
		{"张伟", " zhang wei ", "jnv"},
		{"Zhang", "zhang", "jn"},
		{"Chang", "chang", "jn"},
		{"Nguyễn Văn An", "nguyen van an", "nhnvn"},
		{"Ştefănescu", "stefanescu", "stfnsk"},
		{"Ștefănescu", "stefanescu", "stfnsk"},
		{"Łukasz Wiśniewski", "lukasz wisniewski", "lksvsnvsk"},
		{"Arbën Çela", "arben cela", "rbnkl"},
	} {
		got, _ := Romanise(c.in)
		if got != c.roman {
			t.Errorf("Romanise(%q) = %q, want %q", c.in, got, c.roman)
		}
		if sk := Skeleton(NormaliseName(c.in)); sk != c.skel {
			t.Errorf("Skeleton(%q) = %q, want %q", c.in, sk, c.skel)
		}
	}
}
