//! The console's words in Arabic, French and English, written by this project.
//! Every key has all three (a test checks it); Arabic pages are right-to-left.

/// A console language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
    /// Arabic (right-to-left).
    Ar,
}

impl Lang {
    /// From a code ("en", "fr", "ar"); English otherwise.
    pub fn parse(code: &str) -> Lang {
        match code {
            "fr" => Lang::Fr,
            "ar" => Lang::Ar,
            _ => Lang::En,
        }
    }

    /// The code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Ar => "ar",
        }
    }

    /// The list separator (", " or the Arabic comma).
    pub fn comma(self) -> &'static str {
        if self == Lang::Ar {
            "، "
        } else {
            ", "
        }
    }

    /// Text direction.
    pub fn dir(self) -> &'static str {
        if self == Lang::Ar {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// The word for `key`, or the key itself if there is none (a test forbids that).
    pub fn t(self, key: &str) -> &'static str {
        MESSAGES
            .iter()
            .find(|m| m.0 == key)
            .map(|m| match self {
                Lang::En => m.1,
                Lang::Fr => m.2,
                Lang::Ar => m.3,
            })
            .unwrap_or("?")
    }
}

/// The key of a name-matcher note ("short form" → "note.short-form").
pub fn note_key(note: &str) -> String {
    format!("note.{}", note.replace(' ', "-"))
}

/// (key, English, French, Arabic).
pub const MESSAGES: &[(&str, &str, &str, &str)] = &[
    ("app", "Liaison", "Liaison", "ليزون"),
    ("skip", "Skip to content", "Aller au contenu", "انتقل إلى المحتوى"),
    ("nav.screen", "Screening", "Contrôle", "التحري"),
    ("nav.hits", "Hits", "Concordances", "التطابقات"),
    ("nav.logout", "Log out", "Se déconnecter", "تسجيل الخروج"),
    ("nav.language", "Language", "Langue", "اللغة"),
    ("login.title", "Log in", "Connexion", "تسجيل الدخول"),
    ("login.username", "User name", "Identifiant", "اسم المستخدم"),
    ("login.password", "Password", "Mot de passe", "كلمة المرور"),
    ("login.submit", "Log in", "Se connecter", "دخول"),
    (
        "login.failed",
        "Wrong user name or password.",
        "Identifiant ou mot de passe incorrect.",
        "اسم المستخدم أو كلمة المرور غير صحيحة.",
    ),
    ("screen.title", "Screen a person", "Contrôler une personne", "التحري عن شخص"),
    ("screen.name", "Name (any script)", "Nom (toute écriture)", "الاسم (بأي كتابة)"),
    (
        "screen.dob",
        "Date of birth (YYYY, YYYY-MM or YYYY-MM-DD)",
        "Date de naissance (AAAA, AAAA-MM ou AAAA-MM-JJ)",
        "تاريخ الميلاد (سنة، أو سنة-شهر، أو سنة-شهر-يوم)",
    ),
    ("screen.nationality", "Nationality (ISO code)", "Nationalité (code ISO)", "الجنسية (رمز ISO)"),
    ("screen.document", "Document number", "Numéro de document", "رقم الوثيقة"),
    (
        "screen.purpose",
        "Purpose (recorded in the audit log)",
        "Motif (consigné au journal d'audit)",
        "الغرض (يُسجَّل في سجل التدقيق)",
    ),
    ("screen.submit", "Screen", "Contrôler", "تحرّ"),
    (
        "screen.none",
        "No notice you may see matches.",
        "Aucune notice qui vous est accessible ne correspond.",
        "لا توجد نشرة متاحة لك تطابق هذا الاسم.",
    ),
    ("screen.results", "Hits", "Résultats", "النتائج"),
    ("hit.score", "Score", "Score", "الدرجة"),
    ("hit.notice", "Notice", "Notice", "النشرة"),
    ("hit.owner", "Owning agency", "Service propriétaire", "الجهة المالكة"),
    ("hit.type", "Type", "Type", "النوع"),
    ("hit.matched", "Name on file", "Nom enregistré", "الاسم المسجل"),
    ("hit.action", "Action to take", "Conduite à tenir", "الإجراء المطلوب"),
    ("hit.warnings", "Warnings", "Signalements", "تحذيرات"),
    ("hit.why", "Why it matched", "Pourquoi cette concordance", "سبب التطابق"),
    ("hit.aligned", "aligned with", "aligné avec", "يقابل"),
    ("hit.similarity", "similarity", "similarité", "التشابه"),
    ("hit.weight", "weight", "poids", "الوزن"),
    ("note.short-form", "short form", "forme courte", "صيغة مختصرة"),
    ("note.cut-off", "cut off", "tronqué", "مبتور"),
    ("hit.left", "left over", "non apparié", "غير مقابل"),
    ("hit.penalty", "lowered by", "réduit par", "خُفّض بسبب"),
    ("hit.read-as", "read as", "lu comme", "قُرئ"),
    ("hit.dob", "Date of birth", "Date de naissance", "تاريخ الميلاد"),
    ("hit.report", "Report a hit", "Signaler une concordance", "الإبلاغ عن تطابق"),
    ("report.title", "Report a hit", "Signaler une concordance", "الإبلاغ عن تطابق"),
    ("report.place", "Place", "Lieu", "المكان"),
    (
        "report.seen_at",
        "Seen at (date and time, UTC)",
        "Vu le (date et heure, UTC)",
        "وقت المشاهدة (التاريخ والساعة، بالتوقيت العالمي)",
    ),
    ("report.context", "Circumstances", "Circonstances", "الظروف"),
    ("report.action_taken", "Action taken", "Mesure prise", "الإجراء المتخذ"),
    ("report.submit", "Send to the owning agency", "Transmettre au service propriétaire", "إرسال إلى الجهة المالكة"),
    (
        "hits.title",
        "Hits on our notices and hits we reported",
        "Concordances sur nos notices et concordances signalées",
        "التطابقات على نشراتنا والتطابقات التي أبلغنا عنها",
    ),
    ("hits.none", "No hits.", "Aucune concordance.", "لا توجد تطابقات."),
    ("hits.reported_by", "Reported by", "Signalé par", "أبلغ عنه"),
    ("hits.status", "Status", "État", "الحالة"),
    ("hits.note", "Note", "Note", "ملاحظة"),
    ("status.reported", "Reported", "Signalée", "مُبلَّغ عنه"),
    ("status.confirmed", "Confirmed", "Confirmée", "مؤكَّد"),
    ("status.not-the-person", "Not the person", "Autre personne", "ليس الشخص المعني"),
    ("status.action-taken", "Action taken", "Mesure prise", "اتُّخذ الإجراء"),
    ("do.confirm", "Confirm: it is the person", "Confirmer : c'est la personne", "تأكيد: إنه الشخص المعني"),
    ("do.not-the-person", "Not the person", "Ce n'est pas la personne", "ليس الشخص المعني"),
    ("do.action-taken", "Record the action taken", "Consigner la mesure prise", "تسجيل الإجراء المتخذ"),
    ("error.title", "Something is wrong", "Un problème est survenu", "حدث خطأ"),
    ("type.wanted-person", "Wanted person", "Personne recherchée", "شخص مطلوب"),
    ("type.person-information", "Information on a person", "Information sur une personne", "معلومات عن شخص"),
    ("type.person-warning", "Warning about a person", "Avertissement sur une personne", "تحذير بشأن شخص"),
    ("type.missing-person", "Missing person", "Personne disparue", "شخص مفقود"),
    ("type.unidentified-body", "Unidentified body", "Corps non identifié", "جثة مجهولة الهوية"),
    ("type.threat-warning", "Threat warning", "Alerte de menace", "تحذير من تهديد"),
    ("type.modus-operandi", "Modus operandi", "Mode opératoire", "أسلوب إجرامي"),
    (
        "type.sanctions-listing",
        "UN sanctions listing",
        "Inscription sur une liste de sanctions de l'ONU",
        "مدرج في قائمة عقوبات الأمم المتحدة",
    ),
    (
        "type.travel-document",
        "Lost or stolen travel document",
        "Document de voyage perdu ou volé",
        "وثيقة سفر مفقودة أو مسروقة",
    ),
    ("warning.armed", "Armed", "Armé", "مسلح"),
    ("warning.violent", "Violent", "Violent", "عنيف"),
    ("warning.escape-risk", "Escape risk", "Risque d'évasion", "خطر الفرار"),
    ("warning.self-harm", "Risk of self-harm", "Risque d'automutilation", "خطر إيذاء النفس"),
    ("warning.victim", "Possible victim", "Victime possible", "ضحية محتملة"),
    ("nav.notices", "Notices", "Notices", "النشرات"),
    ("nav.agreements", "Agreements", "Accords", "الاتفاقيات"),
    ("nav.audit", "Audit log", "Journal d'audit", "سجل التدقيق"),
    ("notices.title", "Notices you may see", "Notices accessibles", "النشرات المتاحة لك"),
    ("notices.all", "All", "Toutes", "الكل"),
    ("notices.queue", "Review queue", "À examiner", "قائمة المراجعة"),
    ("notices.drafts", "Drafts", "Brouillons", "المسودات"),
    ("notices.published", "Published", "Publiées", "المنشورة"),
    ("notices.none", "No notices.", "Aucune notice.", "لا توجد نشرات."),
    ("notices.title_col", "Title", "Titre", "العنوان"),
    ("nstatus.draft", "Draft", "Brouillon", "مسودة"),
    ("nstatus.in-review", "In review", "En examen", "قيد المراجعة"),
    ("nstatus.published", "Published", "Publiée", "منشورة"),
    ("nstatus.expired", "Expired", "Expirée", "منتهية الصلاحية"),
    ("nstatus.cancelled", "Cancelled", "Annulée", "ملغاة"),
    ("notice.names", "Names", "Noms", "الأسماء"),
    ("notice.dobs", "Dates of birth", "Dates de naissance", "تواريخ الميلاد"),
    ("notice.nationalities", "Nationalities", "Nationalités", "الجنسيات"),
    ("notice.tlp", "TLP label", "Marquage TLP", "تصنيف TLP"),
    ("notice.handling", "Handling code", "Code de traitement", "رمز التعامل"),
    ("notice.offence", "Offence", "Infraction", "الجريمة"),
    ("notice.warrant", "Warrant", "Mandat", "مذكرة التوقيف"),
    ("notice.expires", "Expires", "Expire le", "تنتهي في"),
    ("notice.history", "History", "Historique", "السجل"),
    ("notice.version", "Version", "Version", "الإصدار"),
    ("step.submit", "Submit for review", "Soumettre à l'examen", "إحالة إلى المراجعة"),
    ("step.approve", "Approve and publish", "Approuver et publier", "الموافقة والنشر"),
    ("step.reject", "Reject", "Rejeter", "رفض"),
    ("step.extend", "Extend", "Prolonger", "تمديد"),
    ("step.cancel", "Cancel the notice", "Annuler la notice", "إلغاء النشرة"),
    ("step.reason", "Reasons, decision or reason", "Motifs, décision ou raison", "الأسباب أو القرار"),
    ("step.days", "Days", "Jours", "الأيام"),
    ("check.title", "Neutrality checklist", "Contrôle de neutralité", "قائمة الحياد"),
    ("check.not_political", "No political character", "Aucun caractère politique", "لا طابع سياسي"),
    ("check.not_military", "No military character", "Aucun caractère militaire", "لا طابع عسكري"),
    ("check.not_religious", "No religious character", "Aucun caractère religieux", "لا طابع ديني"),
    ("check.not_racial", "No racial character", "Aucun caractère racial", "لا طابع عرقي"),
    (
        "check.not_refugee",
        "Not a refugee fleeing the requesting state",
        "Pas un réfugié fuyant l'État requérant",
        "ليس لاجئًا فارًّا من الدولة الطالبة",
    ),
    ("audit.title", "Audit log of our agency", "Journal d'audit de notre service", "سجل التدقيق لجهتنا"),
    ("audit.when", "When", "Quand", "متى"),
    ("audit.who", "Who", "Qui", "من"),
    ("audit.what", "What", "Quoi", "ماذا"),
    ("audit.about", "About", "Objet", "الموضوع"),
    ("audit.why", "Purpose", "Motif", "الغرض"),
    ("audit.results", "Results", "Résultats", "النتائج"),
    ("audit.more", "Older records", "Entrées plus anciennes", "سجلات أقدم"),
    ("agreements.title", "Agreements of our agency", "Accords de notre service", "اتفاقيات جهتنا"),
    ("agreements.parties", "Parties", "Parties", "الأطراف"),
    ("agreements.flows", "Notice types shared", "Types de notices partagés", "أنواع النشرات المتبادلة"),
    ("agreements.in_force", "In force", "En vigueur", "سارية"),
    ("agreements.signatories", "Signatories", "Signataires", "الموقعون"),
    ("nav.batch", "Batch screening", "Contrôle par lot", "التحري الجماعي"),
    ("nav.new_notice", "New notice", "Nouvelle notice", "نشرة جديدة"),
    (
        "batch.title",
        "Screen a list of people (CSV)",
        "Contrôler une liste de personnes (CSV)",
        "التحري عن قائمة أشخاص (CSV)",
    ),
    (
        "batch.file",
        "CSV file with columns id, name and optionally dob, nationality, document",
        "Fichier CSV avec les colonnes id, name et, si connues, dob, nationality, document",
        "ملف CSV بالأعمدة id وname واختياريًا dob وnationality وdocument",
    ),
    ("batch.submit", "Start screening", "Lancer le contrôle", "بدء التحري"),
    ("batch.progress", "Screened", "Contrôlés", "تم التحري"),
    ("batch.of", "of", "sur", "من"),
    ("batch.done", "Finished.", "Terminé.", "اكتمل."),
    ("batch.download", "Download the results (CSV)", "Télécharger les résultats (CSV)", "تنزيل النتائج (CSV)"),
    (
        "batch.running",
        "Screening… this page refreshes by itself.",
        "Contrôle en cours… cette page s'actualise seule.",
        "جارٍ التحري… تتحدث هذه الصفحة تلقائيًا.",
    ),
    (
        "batch.hits",
        "People with at least one hit",
        "Personnes avec au moins une concordance",
        "أشخاص لهم تطابق واحد على الأقل",
    ),
    ("new.title", "Draft a notice", "Rédiger une notice", "تحرير نشرة"),
    ("new.type", "Notice type", "Type de notice", "نوع النشرة"),
    ("new.title_field", "Title", "Titre", "العنوان"),
    (
        "new.names",
        "Names, one per line, in any script; the first is the original",
        "Noms, un par ligne, dans toute écriture ; le premier est l'original",
        "الأسماء، اسم في كل سطر وبأي كتابة؛ الأول هو الأصلي",
    ),
    (
        "new.dobs",
        "Dates of birth, separated by commas",
        "Dates de naissance, séparées par des virgules",
        "تواريخ الميلاد، مفصولة بفواصل",
    ),
    (
        "new.nationalities",
        "Nationalities (ISO codes, separated by commas)",
        "Nationalités (codes ISO, séparés par des virgules)",
        "الجنسيات (رموز ISO مفصولة بفواصل)",
    ),
    ("new.summary", "Summary", "Résumé", "الملخص"),
    ("new.distribution", "Distribution", "Diffusion", "التوزيع"),
    ("new.dist_all", "All members", "Tous les membres", "جميع الأعضاء"),
    ("new.dist_named", "Only these agencies", "Seulement ces services", "هذه الجهات فقط"),
    ("new.dist_except", "All but these agencies", "Tous sauf ces services", "الجميع باستثناء هذه الجهات"),
    (
        "new.agencies",
        "Agency codes, separated by commas",
        "Codes des services, séparés par des virgules",
        "رموز الجهات، مفصولة بفواصل",
    ),
    ("new.restriction", "H3 restriction", "Restriction H3", "قيد H3"),
    ("new.review_days", "Review period in days", "Période de révision en jours", "مدة المراجعة بالأيام"),
    ("new.law", "Law", "Loi", "القانون"),
    ("new.max_penalty", "Maximum penalty", "Peine maximale", "العقوبة القصوى"),
    ("new.warrant_ref", "Warrant reference", "Référence du mandat", "مرجع المذكرة"),
    ("new.warrant_authority", "Issuing authority", "Autorité émettrice", "الجهة المصدرة"),
    ("new.facts", "Summary of facts", "Résumé des faits", "ملخص الوقائع"),
    (
        "new.judicial",
        "Judicial data (wanted persons)",
        "Données judiciaires (personnes recherchées)",
        "البيانات القضائية (للأشخاص المطلوبين)",
    ),
    ("new.submit", "Save the draft", "Enregistrer le brouillon", "حفظ المسودة"),
    ("change.created", "created", "créée", "أُنشئت"),
    ("change.import", "imported", "importée", "استُوردت"),
    ("change.submitted", "submitted for review", "soumise à l'examen", "أُحيلت إلى المراجعة"),
    ("change.approved", "approved and published", "approuvée et publiée", "وُوفق عليها ونُشرت"),
    ("change.rejected", "rejected", "rejetée", "رُفضت"),
    ("change.extended", "extended", "prolongée", "مُدّدت"),
    ("change.cancelled", "cancelled", "annulée", "أُلغيت"),
    ("change.amended", "amended", "modifiée", "عُدّلت"),
    ("action.login", "log-in", "connexion", "تسجيل دخول"),
    ("action.login-failed", "failed log-in", "connexion refusée", "دخول فاشل"),
    ("action.read", "read", "lecture", "اطلاع"),
    ("action.search", "search", "recherche", "بحث"),
    ("action.screen", "screening", "contrôle", "تحرٍّ"),
    ("action.create", "creation", "création", "إنشاء"),
    ("action.change", "change", "modification", "تعديل"),
    ("action.review", "review decision", "décision d'examen", "قرار مراجعة"),
    ("action.export", "export", "export", "تصدير"),
    ("action.import", "import", "import", "استيراد"),
    ("action.admin", "administration", "administration", "إدارة"),
    ("agreements.since", "since", "depuis", "منذ"),
    ("agreements.nothing", "nothing", "rien", "لا شيء"),
    ("dob.unknown", "not compared", "non comparée", "لم تُقارن"),
    ("dob.agrees", "agrees", "concorde", "مطابق"),
    ("dob.agrees-partly", "agrees as far as known", "concorde pour ce qui est connu", "مطابق في حدود المعلوم"),
    ("dob.near", "a year apart", "à un an près", "بفارق سنة"),
    ("dob.contradicts", "contradicts", "contredit", "متعارض"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_three_translations_and_keys_are_unique() {
        let mut keys = std::collections::HashSet::new();
        for (k, en, fr, ar) in MESSAGES {
            assert!(keys.insert(*k), "duplicate key {k}");
            assert!(!en.is_empty() && !fr.is_empty() && !ar.is_empty(), "{k}");
            assert!(ar.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) || *k == "app", "{k}: Arabic?");
        }
        assert_eq!(Lang::Ar.t("nav.screen"), "التحري");
        assert_eq!(Lang::parse("xx"), Lang::En);
    }

    #[test]
    fn every_note_of_the_name_matcher_is_translated() {
        for note in names::compare::NOTES {
            let key = note_key(note);
            assert!(MESSAGES.iter().any(|m| m.0 == key), "{key} is missing");
        }
    }
}
