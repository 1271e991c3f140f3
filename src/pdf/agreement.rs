//! The agreement document: cover, table of contents, the ten sections (structured tables
//! first, then the clause text), the signature page, the version history and the
//! verification block — as blocks for the layout engine.
//!
//! Labels follow `PdfContext::lang`; values use the model's own wording (`display(lang)`,
//! `label(lang)`) and `crate::diff::field_label`; clause text is printed as written.

use super::font::Style;
use super::layout::{colors, Align, Attr, Block, Cell, Run, SignatureBlock, SignedBox};
use super::text::*;
use super::PdfContext;
use crate::diff::field_label;
use crate::model::clause;
use crate::model::{
    Agreement, BusinessCalendar, Day, FeedbackKind, Language, PartySide, Renewal, Section,
    TrainingFormat,
};

/// All blocks of the agreement PDF.
pub fn blocks(a: &Agreement, ctx: &PdfContext) -> Vec<Block> {
    let lang = ctx.lang;
    let mut body = Doc::new(lang);
    for section in Section::ALL {
        body.h1(section.title(lang), true);
        match section {
            Section::Overview => overview(&mut body, a),
            Section::ServiceStandards => service_standards(&mut body, a),
            Section::SupportLevels => support_levels(&mut body, a),
            Section::Channels => channels(&mut body, a),
            Section::Departments => departments(&mut body, a),
            Section::Metrics => metrics(&mut body, a),
            Section::Feedback => feedback(&mut body, a),
            Section::Duties => duties(&mut body, a),
            Section::Training => training(&mut body, a),
            Section::Amendments => amendments(&mut body, a),
        }
        clause_part(&mut body, a.clauses(section));
    }
    body.blocks.push(Block::PageBreak);
    signatures(&mut body, a, ctx);
    history(&mut body, ctx);
    verification(&mut body, ctx);

    let mut front = Doc::new(lang);
    cover(&mut front, a, ctx);
    front.blocks.push(Block::PageBreak);
    front.h1(front.pick("Inhalt", "Contents"), false);
    let first_anchor = front.outline.len();
    front.toc(&body.outline, first_anchor);
    front.blocks.push(Block::PageBreak);
    front.blocks.extend(body.blocks);
    front.blocks
}

fn clause_part(d: &mut Doc, text: &str) {
    if clause::parse(text).is_empty() {
        return;
    }
    // Clause text that does not open with its own heading gets one, so it is never taken
    // for a continuation of the last table.
    if !matches!(clause::parse(text).first(), Some(clause::Block::Heading(_))) {
        let title = d.pick("Regelungen", "Provisions").to_string();
        d.h2(vec![Run::plain(title)]);
    }
    d.clauses(text);
}

// ---------------------------------------------------------------- cover

fn cover(d: &mut Doc, a: &Agreement, ctx: &PdfContext) {
    let lang = ctx.lang;
    let kicker = lang.pick("KUNDENDIENSTVEREINBARUNG", "CUSTOMER SERVICE AGREEMENT");
    let mut k = super::layout::Para::new(
        vec![Run::new(kicker, Attr::new(Style::Bold, colors::ACCENT))],
        9.0,
        12.0,
    );
    k.space_after = 10.0;
    d.blocks.push(Block::Para(k));
    let mut t = super::layout::Para::new(
        vec![Run::new(
            a.title.clone(),
            Attr::new(Style::Bold, colors::INK),
        )],
        22.0,
        27.0,
    );
    t.space_after = 8.0;
    t.rule_below = true;
    d.blocks.push(Block::Para(t));
    if ctx.version.is_none() {
        let mut p = super::layout::Para::new(
            vec![Run::new(
                lang.pick(
                    "ENTWURF – nicht eingefroren, nicht zur Unterschrift",
                    "DRAFT – not frozen, not for signature",
                ),
                Attr::new(Style::Bold, colors::DRAFT),
            )],
            10.0,
            14.0,
        );
        p.space_before = 6.0;
        d.blocks.push(Block::Para(p));
    }
    d.blocks.push(Block::Space(36.0));
    let o = &a.overview;
    for (i, (label, party)) in [
        (lang.pick("Anbieter", "Provider"), &o.provider),
        (lang.pick("Kunde", "Customer"), &o.customer),
    ]
    .into_iter()
    .enumerate()
    {
        if i == 1 {
            let mut and =
                super::layout::Para::new(vec![Run::muted(lang.pick("und", "and"))], 10.0, 14.0);
            and.space_before = 6.0;
            and.space_after = 10.0;
            d.blocks.push(Block::Para(and));
        } else {
            let mut between = super::layout::Para::new(
                vec![Run::muted(lang.pick("zwischen", "between"))],
                10.0,
                14.0,
            );
            between.space_after = 10.0;
            d.blocks.push(Block::Para(between));
        }
        let mut l = super::layout::Para::new(
            vec![Run::new(
                label.to_uppercase(),
                Attr::new(Style::Bold, colors::MUTED),
            )],
            8.0,
            11.0,
        );
        l.space_after = 2.0;
        d.blocks.push(Block::Para(l));
        let name = if party.name.trim().is_empty() {
            "—".to_string()
        } else {
            party.name.clone()
        };
        d.blocks.push(Block::Para(super::layout::Para::new(
            vec![Run::bold(name)],
            13.0,
            17.0,
        )));
        if !party.address.trim().is_empty() {
            d.blocks.push(Block::Para(super::layout::Para::new(
                vec![Run::plain(party.address.clone())],
                10.0,
                14.0,
            )));
        }
    }
    d.blocks.push(Block::BottomSpace(190.0));
    let version = match &ctx.version {
        Some(v) => format!("{} {}", lang.pick("Version", "Version"), v.number),
        None => lang
            .pick("Entwurf (nicht eingefroren)", "Draft (not frozen)")
            .to_string(),
    };
    let mut rows = vec![
        (
            lang.pick("Fassung", "Version").to_string(),
            bold_cell(version),
        ),
        (
            lang.pick("Inhalts-Hash (SHA-256)", "Content hash (SHA-256)")
                .to_string(),
            cell(format!(
                "{}…",
                &ctx.content_hash[..ctx.content_hash.len().min(16)]
            )),
        ),
        (
            lang.pick("Status der Vereinbarung", "Agreement status")
                .to_string(),
            cell(ctx.status.label(lang)),
        ),
        (
            capitalise(field_label("effective_date", lang)),
            cell(
                a.overview
                    .effective_date
                    .map(|dt| date(dt, lang))
                    .unwrap_or_default(),
            ),
        ),
        (
            lang.pick("Exportiert am", "Exported on").to_string(),
            cell(moment(ctx.exported_at, lang)),
        ),
    ];
    if ctx.version.is_none() {
        rows[1].0 = lang
            .pick("Hash des Entwurfs (SHA-256)", "Draft hash (SHA-256)")
            .to_string();
    }
    d.facts(rows);
    d.note(vec![Run::muted(lang.pick(
        "Erstellt mit Pactum. Der Inhalts-Hash identifiziert genau den Inhalt dieser Fassung; wie er geprüft wird, steht im Abschnitt „Prüfangaben“ am Ende des Dokuments.",
        "Produced with Pactum. The content hash identifies exactly the content of this version; the “Verification” part at the end of the document explains how to check it.",
    ))]);
}

// ---------------------------------------------------------------- sections

fn sub(d: &mut Doc, title: &str) {
    d.h2(vec![Run::plain(title)]);
}

fn overview(d: &mut Doc, a: &Agreement) {
    let lang = d.lang;
    let o = &a.overview;
    sub(d, d.pick("Vertragsparteien", "Parties"));
    let contacts = |p: &crate::model::Party| -> Cell {
        let mut paras = vec![vec![Run::bold(if p.name.trim().is_empty() {
            "—".to_string()
        } else {
            p.name.clone()
        })]];
        if !p.address.trim().is_empty() {
            paras.push(vec![Run::plain(p.address.clone())]);
        }
        for c in &p.contacts {
            let mut runs = vec![Run::bold(c.name.clone())];
            if !c.function.trim().is_empty() {
                runs.push(Run::plain(format!(", {}", c.function)));
            }
            for extra in [&c.email, &c.phone] {
                if !extra.trim().is_empty() {
                    runs.push(Run::plain(format!("\n{extra}")));
                }
            }
            paras.push(runs);
        }
        Cell {
            paras: paras
                .into_iter()
                .map(|runs| super::layout::CellPara { runs, marker: None })
                .collect(),
            align: Align::Left,
            rotated: false,
        }
    };
    d.table(
        &[0.5, 0.5],
        &[
            lang.pick("Anbieter", "Provider"),
            lang.pick("Kunde", "Customer"),
        ],
        vec![vec![contacts(&o.provider), contacts(&o.customer)]],
    );
    if !o.purpose.trim().is_empty() {
        sub(d, field_label("purpose", lang));
        d.para(vec![Run::plain(o.purpose.clone())]);
    }
    let s = &o.scope;
    if !s.services.is_empty()
        || !s.exclusions.is_empty()
        || !s.assumptions.is_empty()
        || !s.dependencies.is_empty()
    {
        sub(d, d.pick("Leistungsumfang", "Scope"));
        if !s.services.is_empty() {
            let rows = s
                .services
                .iter()
                .map(|sv| vec![bold_cell(sv.name.clone()), cell(sv.description.clone())])
                .collect();
            d.table(
                &[0.3, 0.7],
                &[
                    d.pick("Leistung", "Service"),
                    field_label("description", lang),
                ],
                rows,
            );
        }
        for (key, items) in [
            ("exclusions", &s.exclusions),
            ("assumptions", &s.assumptions),
            ("dependencies", &s.dependencies),
        ] {
            if !items.is_empty() {
                d.label(field_label(key, lang));
                d.list(
                    items.iter().map(|i| vec![Run::plain(i.clone())]).collect(),
                    false,
                );
            }
        }
    }
    sub(
        d,
        d.pick(
            "Laufzeit, Vergütung und Überprüfung",
            "Term, payment and review",
        ),
    );
    let t = &o.term;
    let mut rows = Vec::new();
    if let Some(dt) = o.effective_date {
        rows.push((
            capitalise(field_label("effective_date", lang)),
            cell(date(dt, lang)),
        ));
    }
    if let Some(m) = t.initial_months {
        rows.push((
            lang.pick("Erstlaufzeit", "Initial term").to_string(),
            cell(months(m, lang)),
        ));
    }
    if let Some(e) = t.end_date {
        rows.push((
            field_label("end_date", lang).to_string(),
            cell(date(e, lang)),
        ));
    }
    let renewal = match t.renewal {
        Renewal::None => lang
            .pick(
                "keine; die Vereinbarung endet mit Ablauf der Laufzeit",
                "none; the agreement ends with its term",
            )
            .to_string(),
        Renewal::Automatic => match t.renewal_months {
            Some(m) => format!(
                "{} {}",
                lang.pick("automatisch um jeweils", "automatically by"),
                months(m, lang)
            ),
            None => lang.pick("automatisch", "automatic").to_string(),
        },
        Renewal::ByAgreement => lang
            .pick(
                "nur nach Vereinbarung der Parteien",
                "only if both parties agree",
            )
            .to_string(),
    };
    rows.push((field_label("renewal", lang).to_string(), cell(renewal)));
    if t.notice.is_some() {
        rows.push((
            lang.pick("Kündigungsfrist", "Notice period").to_string(),
            cell(duration(&t.notice, lang)),
        ));
    }
    if !o.payment_terms.trim().is_empty() {
        rows.push((
            field_label("payment_terms", lang).to_string(),
            cell(o.payment_terms.clone()),
        ));
    }
    if let Some(c) = o.review_cadence {
        rows.push((
            lang.pick("Überprüfung der Vereinbarung", "Review of the agreement")
                .to_string(),
            cell(capitalise(c.label(lang))),
        ));
    }
    d.facts(rows);
}

fn months(m: u32, lang: Language) -> String {
    match lang {
        Language::De => format!("{m}\u{a0}{}", if m == 1 { "Monat" } else { "Monate" }),
        Language::En => format!("{m}\u{a0}{}", if m == 1 { "month" } else { "months" }),
    }
}

fn service_standards(d: &mut Doc, a: &Agreement) {
    let lang = d.lang;
    let tps = &a.service_standards.touchpoints;
    if tps.is_empty() {
        return;
    }
    sub(
        d,
        d.pick(
            "Kontaktpunkte und Qualitätszusagen",
            "Touchpoints and quality commitments",
        ),
    );
    let rows = tps
        .iter()
        .map(|t| {
            let targets: Vec<String> = t
                .targets
                .iter()
                .map(|g| {
                    let v = threshold(&g.target, &g.unit, lang);
                    if v.is_empty() {
                        g.name.clone()
                    } else {
                        format!("{}: {v}", g.name)
                    }
                })
                .collect();
            vec![
                titled_cell(&t.name, vec![vec![Run::muted(t.kind.label(lang))]]),
                cell(clock(&t.hours, a, lang)),
                list_cell(&t.commitments),
                list_cell(&targets),
            ]
        })
        .collect();
    d.table(
        &[0.2, 0.18, 0.37, 0.25],
        &[
            d.pick("Kontaktpunkt", "Touchpoint"),
            field_label("hours", lang),
            field_label("commitments", lang),
            field_label("targets", lang),
        ],
        rows,
    );
}

fn support_levels(d: &mut Doc, a: &Agreement) {
    let lang = d.lang;
    let s = &a.support_levels;
    if !s.priorities.is_empty() {
        sub(
            d,
            d.pick(
                "Prioritäten und Reaktionszeiten",
                "Priorities and response times",
            ),
        );
        let rows = s
            .priorities
            .iter()
            .map(|p| {
                let mut more = vec![vec![Run::plain(p.definition.clone())]];
                if !p.examples.is_empty() {
                    let label = format!("{}: ", field_label("examples", lang));
                    more.push(vec![Run::italic(label), Run::italic(p.examples.join("; "))]);
                }
                let title = if p.name.trim().is_empty() {
                    p.id.clone()
                } else {
                    format!("{} – {}", p.id, p.name)
                };
                vec![
                    titled_cell(&title, more),
                    cell(duration(&p.first_response, lang)),
                    cell(duration(&p.update_interval, lang)),
                    cell(duration(&p.resolution, lang)),
                    cell(clock(&p.clock, a, lang)),
                ]
            })
            .collect();
        d.table(
            &[0.43, 0.12, 0.13, 0.12, 0.2],
            &[
                d.pick("Priorität und Definition", "Priority and definition"),
                d.pick("Erste Reaktion", "First response"),
                d.pick("Aktualisierung", "Updates every"),
                d.pick("Lösung", "Resolution"),
                field_label("clock", lang),
            ],
            rows,
        );
    }
    if !s.calendars.is_empty() {
        sub(d, d.pick("Servicezeiten", "Service hours"));
        let rows = s
            .calendars
            .iter()
            .map(|c| {
                let title = if c.name.trim().is_empty() {
                    c.id.clone()
                } else {
                    c.name.clone()
                };
                let mut holidays = Vec::new();
                if c.german_public_holidays {
                    holidays.push(
                        lang.pick(
                            "bundesweite gesetzliche Feiertage",
                            "German nationwide public holidays",
                        )
                        .to_string(),
                    );
                }
                holidays.extend(
                    c.holidays
                        .iter()
                        .map(|h| format!("{} {}", date(h.date, lang), h.name)),
                );
                vec![
                    bold_cell(title),
                    cell(c.time_zone.clone()),
                    list_cell(&weekly(c, lang)),
                    list_cell(&holidays),
                ]
            })
            .collect();
        d.table(
            &[0.27, 0.16, 0.25, 0.32],
            &[
                field_label("calendar", lang),
                field_label("time_zone", lang),
                field_label("weekly", lang),
                d.pick("Geschlossen an", "Closed on"),
            ],
            rows,
        );
    }
    if !s.escalation.is_empty() {
        sub(d, field_label("escalation", lang));
        let rows = s
            .escalation
            .iter()
            .enumerate()
            .map(|(i, e)| {
                vec![
                    cell((i + 1).to_string()).aligned(Align::Center),
                    bold_cell(role(&e.role, a)),
                    cell(e.contact.clone()),
                    cell(duration(&e.after, lang)),
                    cell(priorities(&e.priorities, lang)),
                ]
            })
            .collect();
        d.table(
            &[0.08, 0.3, 0.3, 0.14, 0.18],
            &[
                d.pick("Stufe", "Step"),
                field_label("role", lang),
                field_label("contact", lang),
                d.pick("Eskalation nach", "Escalate after"),
                field_label("priorities", lang),
            ],
            rows,
        );
    }
    if !s.service_tiers.is_empty() {
        sub(d, field_label("service_tiers", lang));
        let rows = s
            .service_tiers
            .iter()
            .map(|t| {
                vec![
                    bold_cell(t.name.clone()),
                    cell(t.description.clone()),
                    cell(
                        t.price
                            .as_ref()
                            .map(|p| p.display(lang))
                            .unwrap_or_default(),
                    )
                    .aligned(Align::Right),
                    cell(
                        t.billing
                            .map(|b| b.label(lang).to_string())
                            .unwrap_or_default(),
                    ),
                    cell(priorities(&t.priorities, lang)),
                ]
            })
            .collect();
        d.table(
            &[0.18, 0.42, 0.15, 0.12, 0.13],
            &[
                d.pick("Servicestufe", "Tier"),
                field_label("description", lang),
                field_label("price", lang),
                field_label("billing", lang),
                field_label("priorities", lang),
            ],
            rows,
        );
    }
}

/// Weekly opening hours grouped by identical days: "Mo–Fr 08:00–18:00".
fn weekly(c: &BusinessCalendar, lang: Language) -> Vec<String> {
    let day_hours = |day: Day| -> String {
        let mut v: Vec<String> = c
            .weekly
            .iter()
            .filter(|o| o.day == day)
            .map(|o| format!("{}–{}", o.from, o.to))
            .collect();
        v.sort();
        v.join(", ")
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < 7 {
        let h = day_hours(Day::ALL[i]);
        let mut j = i;
        while j + 1 < 7 && day_hours(Day::ALL[j + 1]) == h {
            j += 1;
        }
        if !h.is_empty() {
            let days = if i == j {
                Day::ALL[i].label(lang).to_string()
            } else {
                format!("{}–{}", Day::ALL[i].label(lang), Day::ALL[j].label(lang))
            };
            out.push(format!("{days} {h}"));
        }
        i = j + 1;
    }
    if out.is_empty() {
        out.push(lang.pick("keine", "none").to_string());
    }
    out
}

fn channels(d: &mut Doc, a: &Agreement) {
    let lang = d.lang;
    let chs = &a.channels.channels;
    if chs.is_empty() {
        return;
    }
    sub(
        d,
        d.pick("Kanäle und Erreichbarkeit", "Channels and availability"),
    );
    let rows = chs
        .iter()
        .map(|c| {
            let langs: Vec<String> = c.languages.iter().map(|l| l.to_uppercase()).collect();
            vec![
                titled_cell(
                    &c.name,
                    vec![
                        vec![Run::muted(c.kind.label(lang))],
                        vec![Run::plain(c.contact.clone())],
                    ],
                ),
                cell(clock(&c.hours, a, lang)),
                cell(langs.join(", ")),
                cell(priorities(&c.accepts, lang)),
                cell(duration(&c.response_target, lang)),
                cell(c.team.clone()),
            ]
        })
        .collect();
    d.table(
        &[0.27, 0.19, 0.1, 0.12, 0.12, 0.2],
        &[
            d.pick("Kanal und Kontakt", "Channel and contact"),
            field_label("hours", lang),
            field_label("languages", lang),
            field_label("priorities", lang),
            field_label("response_target", lang),
            field_label("team", lang),
        ],
        rows,
    );
}

fn departments(d: &mut Doc, a: &Agreement) {
    let lang = d.lang;
    let deps = &a.departments.departments;
    if deps.is_empty() {
        return;
    }
    sub(d, d.pick("Ziele je Abteilung", "Targets per department"));
    let rows = deps
        .iter()
        .map(|x| {
            vec![
                titled_cell(
                    &x.name,
                    vec![vec![Run::muted(format!(
                        "{}: {}",
                        field_label("owner", lang),
                        role(&x.owner, a)
                    ))]],
                ),
                list_cell(&x.critical_services),
                cell(duration(&x.response_target, lang)),
                cell(duration(&x.resolution_target, lang)),
                cell(
                    x.satisfaction_target
                        .map(|p| nbsp_units(&p.display(lang)))
                        .unwrap_or_default(),
                ),
                cell(duration(&x.escalation_ceiling, lang)),
            ]
        })
        .collect();
    d.table(
        &[0.22, 0.3, 0.11, 0.11, 0.12, 0.14],
        &[
            d.pick("Abteilung", "Department"),
            field_label("critical_services", lang),
            d.pick("Reaktion", "Response"),
            d.pick("Lösung", "Resolution"),
            d.pick("Zufriedenheit", "Satisfaction"),
            field_label("escalation_ceiling", lang),
        ],
        rows,
    );
}

fn metrics(d: &mut Doc, a: &Agreement) {
    let lang = d.lang;
    let m = &a.metrics;
    if !m.kpis.is_empty() {
        sub(d, d.pick("Kennzahlenkatalog", "KPI catalogue"));
        let rows = m
            .kpis
            .iter()
            .map(|k| {
                let mut more = vec![vec![Run::plain(k.definition.clone())]];
                if !k.formula.trim().is_empty() {
                    more.push(vec![Run::italic(format!(
                        "{}: {}",
                        field_label("formula", lang),
                        k.formula
                    ))]);
                }
                let cadence = |c: Option<crate::model::Cadence>| {
                    c.map(|c| c.label(lang).to_string()).unwrap_or_default()
                };
                vec![
                    titled_cell(&k.name, more),
                    cell(threshold(&k.target, &k.unit, lang)),
                    cell(threshold(&k.minimum, &k.unit, lang)),
                    list_cell(&[
                        format!("{}: {}", field_label("window", lang), cadence(k.window)),
                        format!("{}: {}", d.pick("Bericht", "Report"), cadence(k.reporting)),
                    ]),
                    cell(k.data_source.clone()),
                    list_cell(&roles(&k.recipients, a)),
                ]
            })
            .collect();
        d.table(
            &[0.33, 0.1, 0.1, 0.15, 0.16, 0.16],
            &[
                d.pick("Kennzahl", "KPI"),
                field_label("target", lang),
                field_label("minimum", lang),
                d.pick("Turnus", "Cadence"),
                field_label("data_source", lang),
                field_label("recipients", lang),
            ],
            rows,
        );
    }
    let mut facts = Vec::new();
    if let Some(p) = m.availability_target {
        facts.push((
            field_label("availability_target", lang).to_string(),
            cell(nbsp_units(&p.display(lang))),
        ));
    }
    if let Some(p) = m.credit_cap {
        facts.push((
            lang.pick(
                "Obergrenze der Gutschriften je Monat",
                "Credit cap per month",
            )
            .to_string(),
            cell(format!(
                "{} {}",
                nbsp_units(&p.display(lang)),
                lang.pick("der Monatsvergütung", "of the monthly fee")
            )),
        ));
    }
    if !m.service_credits.is_empty() {
        sub(d, field_label("service_credits", lang));
        let rows = m
            .service_credits
            .iter()
            .map(|c| {
                let kpi = m.kpis.iter().find(|k| k.id == c.kpi);
                let name = kpi.map_or_else(|| c.kpi.clone(), |k| k.name.clone());
                let unit = kpi.map_or("", |k| k.unit.as_str());
                vec![
                    bold_cell(name),
                    cell(threshold(&c.breach, unit, lang)),
                    cell(
                        c.credit
                            .map(|p| {
                                format!(
                                    "{} {}",
                                    nbsp_units(&p.display(lang)),
                                    lang.pick("der Monatsvergütung", "of the monthly fee")
                                )
                            })
                            .unwrap_or_default(),
                    ),
                ]
            })
            .collect();
        d.table(
            &[0.45, 0.25, 0.3],
            &[
                field_label("kpi", lang),
                field_label("breach", lang),
                field_label("credit", lang),
            ],
            rows,
        );
    }
    if !facts.is_empty() {
        if m.service_credits.is_empty() {
            sub(
                d,
                d.pick("Verfügbarkeit und Gutschriften", "Availability and credits"),
            );
        }
        d.facts(facts);
    }
    let r = &m.reviews;
    if r.cadence.is_some() || !r.participants.is_empty() || !r.agenda.trim().is_empty() {
        sub(d, field_label("reviews", lang));
        let mut rows = Vec::new();
        if let Some(c) = r.cadence {
            rows.push((
                field_label("cadence", lang).to_string(),
                cell(capitalise(c.label(lang))),
            ));
        }
        if !r.participants.is_empty() {
            rows.push((
                field_label("participants", lang).to_string(),
                list_cell(&roles(&r.participants, a)),
            ));
        }
        if !r.agenda.trim().is_empty() {
            rows.push((
                field_label("agenda", lang).to_string(),
                cell(r.agenda.clone()),
            ));
        }
        d.facts(rows);
    }
}

fn feedback_kind(k: FeedbackKind, lang: Language) -> &'static str {
    let (de, en) = match k {
        FeedbackKind::Csat => ("Kundenzufriedenheit (CSAT)", "Customer satisfaction (CSAT)"),
        FeedbackKind::Nps => ("Weiterempfehlung (NPS)", "Net Promoter Score (NPS)"),
        FeedbackKind::Ces => ("Kundenaufwand (CES)", "Customer effort (CES)"),
        FeedbackKind::Reviews => ("Bewertungen", "Reviews"),
        FeedbackKind::Interview => ("Interviews", "Interviews"),
        FeedbackKind::Other => ("Sonstige Methode", "Other method"),
    };
    lang.pick(de, en)
}

fn feedback(d: &mut Doc, a: &Agreement) {
    let lang = d.lang;
    let f = &a.feedback;
    if !f.methods.is_empty() {
        sub(
            d,
            d.pick("Methoden der Feedbackerhebung", "Feedback methods"),
        );
        let rows = f
            .methods
            .iter()
            .map(|m| {
                vec![
                    bold_cell(feedback_kind(m.kind, lang)),
                    cell(m.description.clone()),
                    cell(
                        m.frequency
                            .map(|c| capitalise(c.label(lang)))
                            .unwrap_or_default(),
                    ),
                    cell(threshold(&m.target, "", lang)),
                ]
            })
            .collect();
        d.table(
            &[0.24, 0.48, 0.14, 0.14],
            &[
                d.pick("Methode", "Method"),
                field_label("description", lang),
                field_label("frequency", lang),
                field_label("target", lang),
            ],
            rows,
        );
    }
    let c = &f.complaints;
    let mut rows = Vec::new();
    if !c.submission.is_empty() {
        rows.push((
            field_label("submission", lang).to_string(),
            list_cell(&c.submission),
        ));
    }
    for (key, v) in [
        ("acknowledgement", &c.acknowledgement),
        ("investigation", &c.investigation),
        ("resolution", &c.resolution),
    ] {
        if v.is_some() {
            rows.push((capitalise(field_label(key, lang)), cell(duration(v, lang))));
        }
    }
    if !c.escalation.trim().is_empty() {
        rows.push((
            field_label("escalation", lang).to_string(),
            cell(c.escalation.clone()),
        ));
    }
    if !c.owner.trim().is_empty() {
        rows.push((
            field_label("owner", lang).to_string(),
            cell(role(&c.owner, a)),
        ));
    }
    if !rows.is_empty() {
        sub(d, field_label("complaints", lang));
        d.facts(rows);
    }
    if !f.improvement.trim().is_empty() {
        sub(
            d,
            d.pick("Verbesserung aus Feedback", "Improvement from feedback"),
        );
        d.para(vec![Run::plain(f.improvement.clone())]);
    }
}

fn duties(d: &mut Doc, a: &Agreement) {
    let lang = d.lang;
    let du = &a.duties;
    if !du.roles.is_empty() {
        sub(d, field_label("roles", lang));
        let rows = du
            .roles
            .iter()
            .map(|r| {
                vec![
                    bold_cell(if r.title.trim().is_empty() {
                        r.id.clone()
                    } else {
                        r.title.clone()
                    }),
                    cell(side(r.party, lang)),
                    cell(r.person.clone()),
                    cell(r.contact.clone()),
                ]
            })
            .collect();
        d.table(
            &[0.32, 0.12, 0.24, 0.32],
            &[
                field_label("role", lang),
                field_label("party", lang),
                field_label("person", lang),
                field_label("contact", lang),
            ],
            rows,
        );
    }
    if !du.responsibilities.is_empty() {
        sub(d, field_label("responsibilities", lang));
        for party in [PartySide::Provider, PartySide::Customer] {
            let items: Vec<Vec<Run>> = du
                .responsibilities
                .iter()
                .filter(|r| r.party == party)
                .map(|r| vec![Run::plain(r.text.clone())])
                .collect();
            if !items.is_empty() {
                let label = match party {
                    PartySide::Provider => d.pick("Der Anbieter", "The provider"),
                    PartySide::Customer => d.pick("Der Kunde", "The customer"),
                };
                d.label(label);
                d.list(items, false);
            }
        }
    }
    if !du.raci.is_empty() {
        sub(
            d,
            d.pick(
                "Verantwortlichkeitsmatrix (RACI)",
                "Responsibility matrix (RACI)",
            ),
        );
        // The legend comes first and stays with the table.
        d.note(vec![Run::muted(d.pick(
            "R = durchführend (Responsible), A = verantwortlich (Accountable), C = zu konsultieren (Consulted), I = zu informieren (Informed).",
            "R = responsible, A = accountable, C = consulted, I = informed.",
        ))]);
        if let Some(Block::Para(p)) = d.blocks.last_mut() {
            p.keep_with_next = true;
        }
        // Columns: the roles in the order they are defined, then roles only the matrix names.
        let mut cols: Vec<String> = du.roles.iter().map(|r| r.id.clone()).collect();
        for act in &du.raci {
            for asg in &act.assignments {
                if !cols.contains(&asg.role) {
                    cols.push(asg.role.clone());
                }
            }
        }
        cols.retain(|c| {
            du.raci
                .iter()
                .any(|act| act.assignments.iter().any(|x| &x.role == c))
        });
        let n = cols.len().max(1) as f32;
        let first = if n > 6.0 { 0.3 } else { 0.4 };
        let mut widths = vec![first];
        widths.extend(std::iter::repeat_n((1.0 - first) / n, cols.len()));
        let mut header = vec![Cell::runs(vec![Run::bold(field_label("activity", lang))])];
        for c in &cols {
            let mut cell = Cell::runs(vec![Run::bold(role(c, a))]);
            cell.rotated = true;
            header.push(cell);
        }
        let rows = du
            .raci
            .iter()
            .map(|act| {
                let mut row = vec![cell(act.activity.clone())];
                for c in &cols {
                    let letters: String = act
                        .assignments
                        .iter()
                        .filter(|x| &x.role == c)
                        .map(|x| x.letters.clone())
                        .collect::<Vec<_>>()
                        .join("");
                    row.push(Cell::runs(vec![Run::bold(letters)]).aligned(Align::Center));
                }
                row
            })
            .collect();
        d.blocks.push(Block::Table(super::layout::Table {
            widths,
            header,
            rows,
            size: TABLE_SIZE,
            leading: TABLE_LEADING,
            space_before: 4.0,
            space_after: 10.0,
        }));
    }
}

fn training_format(f: TrainingFormat, lang: Language) -> &'static str {
    let (de, en) = match f {
        TrainingFormat::Classroom => ("Präsenzschulung", "Classroom"),
        TrainingFormat::Workshop => ("Workshop", "Workshop"),
        TrainingFormat::ELearning => ("E-Learning", "E-learning"),
        TrainingFormat::Webinar => ("Webinar", "Webinar"),
        TrainingFormat::OnTheJob => ("Training am Arbeitsplatz", "On the job"),
        TrainingFormat::Coaching => ("Coaching", "Coaching"),
    };
    lang.pick(de, en)
}

fn training(d: &mut Doc, a: &Agreement) {
    let lang = d.lang;
    let t = &a.training;
    if !t.programmes.is_empty() {
        sub(d, field_label("programmes", lang));
        let rows = t
            .programmes
            .iter()
            .map(|p| {
                vec![
                    bold_cell(p.topic.clone()),
                    cell(p.audience.clone()),
                    cell(training_format(p.format, lang)),
                    cell(
                        p.frequency
                            .map(|c| capitalise(c.label(lang)))
                            .unwrap_or_default(),
                    ),
                    cell(role(&p.owner, a)),
                ]
            })
            .collect();
        d.table(
            &[0.3, 0.24, 0.14, 0.14, 0.18],
            &[
                field_label("topic", lang),
                field_label("audience", lang),
                field_label("format", lang),
                field_label("frequency", lang),
                field_label("owner", lang),
            ],
            rows,
        );
    }
    if !t.needs_assessment.trim().is_empty() {
        sub(d, field_label("needs_assessment", lang));
        d.para(vec![Run::plain(t.needs_assessment.clone())]);
    }
    if !t.evaluation.trim().is_empty() {
        sub(d, field_label("evaluation", lang));
        d.para(vec![Run::plain(t.evaluation.clone())]);
    }
}

fn amendments(d: &mut Doc, a: &Agreement) {
    let lang = d.lang;
    let am = &a.amendments;
    let mut rows = Vec::new();
    if !am.proposers.is_empty() {
        rows.push((
            field_label("proposers", lang).to_string(),
            list_cell(&roles(&am.proposers, a)),
        ));
    }
    if !am.approvers.is_empty() {
        rows.push((
            field_label("approvers", lang).to_string(),
            list_cell(&roles(&am.approvers, a)),
        ));
    }
    if am.notice.is_some() {
        rows.push((
            lang.pick("Frist bis zum Inkrafttreten", "Notice before taking effect")
                .to_string(),
            cell(duration(&am.notice, lang)),
        ));
    }
    if !rows.is_empty() {
        sub(d, d.pick("Änderungsverfahren", "Change procedure"));
        d.facts(rows);
    }
}

// ---------------------------------------------------------------- closing parts

fn signatures(d: &mut Doc, a: &Agreement, ctx: &PdfContext) {
    let lang = d.lang;
    d.h1(d.pick("Unterschriften", "Signatures"), false);
    let intro = match &ctx.version {
        Some(v) => match lang {
            Language::De => format!(
                "Mit ihrer Unterschrift bestätigen die Parteien diese Vereinbarung in der Fassung Version {} (Inhalts-Hash SHA-256 {}…). Änderungen bedürfen der Freigabe durch die in Abschnitt „{}“ benannten Rollen.",
                v.number,
                &v.hash[..v.hash.len().min(16)],
                Section::Amendments.title(lang)
            ),
            Language::En => format!(
                "By signing, the parties confirm this agreement as version {} (content hash SHA-256 {}…). Amendments require the approval of the roles named in the section “{}”.",
                v.number,
                &v.hash[..v.hash.len().min(16)],
                Section::Amendments.title(lang)
            ),
        },
        None => lang
            .pick(
                "Dieses Dokument ist ein Entwurf und nicht zur Unterschrift bestimmt. Unterschrieben wird nur eine eingefrorene Version; ihre Versionsnummer und ihr Inhalts-Hash stehen auf dem Deckblatt.",
                "This document is a draft and not meant for signature. Only a frozen version is signed; its version number and content hash appear on the cover.",
            )
            .to_string(),
    };
    d.para(vec![Run::plain(intro)]);
    let lines = if ctx.signature_lines.is_empty() {
        super::default_signature_lines(a)
    } else {
        ctx.signature_lines.clone()
    };
    if lines.iter().any(|l| l.signed_at.is_some()) {
        d.para(vec![Run::plain(d.pick(
            "Wer bereits unterschrieben hat, ist mit Zeitpunkt und Schlüssel-Fingerabdruck aufgeführt; diese Unterschriften sind als digitale Signaturen (PAdES) in die PDF-Datei eingebettet, die jedes PDF-Programm anzeigen und prüfen kann. Für noch ausstehende Unterschriften sind Linien vorgesehen.",
            "Those who have signed are listed with the time and their key fingerprint; their signatures are embedded in the PDF file as digital signatures (PAdES), which any PDF reader can show and check. Lines are left for signatures still outstanding.",
        ))]);
    }
    let fields = |name: &str, function: &str| -> Vec<(String, String)> {
        vec![
            (lang.pick("Name", "Name").to_string(), name.to_string()),
            (
                lang.pick("Funktion / Rolle", "Function / role").to_string(),
                function.to_string(),
            ),
            (
                lang.pick("Ort, Datum", "Place, date").to_string(),
                String::new(),
            ),
            (
                lang.pick("Unterschrift", "Signature").to_string(),
                String::new(),
            ),
        ]
    };
    let o = &a.overview;
    for line in &lines {
        let org = line.organisation.trim();
        let mut title = Vec::new();
        if line.role.trim().is_empty() {
            let label = if !org.is_empty() && org == o.customer.name.trim() {
                lang.pick("Für den Kunden", "For the customer")
            } else if !org.is_empty() && org == o.provider.name.trim() {
                lang.pick("Für den Anbieter", "For the provider")
            } else {
                lang.pick("Unterschrift", "Signature")
            };
            title.push(Run::bold(format!("{label}: ")));
            title.push(Run::plain(if org.is_empty() {
                line.name.clone()
            } else {
                org.to_string()
            }));
        } else {
            title.push(Run::bold(line.role.clone()));
            if !org.is_empty() {
                title.push(Run::muted(format!(" ({org})")));
            }
        }
        let signed = line.signed_at.map(|t| {
            let mut rows = vec![
                (lang.pick("Name", "Name").to_string(), line.name.clone()),
                (
                    lang.pick("Funktion / Rolle", "Function / role").to_string(),
                    line.role.clone(),
                ),
                (
                    lang.pick("Organisation", "Organisation").to_string(),
                    line.organisation.clone(),
                ),
                (
                    lang.pick("Unterschrieben am", "Signed on").to_string(),
                    moment(t, lang),
                ),
            ];
            rows.retain(|(_, v)| !v.trim().is_empty());
            SignedBox {
                rows,
                caption: lang
                    .pick(
                        "Digitale Signatur, in diese PDF-Datei eingebettet",
                        "Digital signature, embedded in this PDF file",
                    )
                    .to_string(),
                below: line
                    .fingerprint
                    .iter()
                    .map(|fp| {
                        (
                            lang.pick("Schlüssel-Fingerabdruck", "Key fingerprint")
                                .to_string(),
                            group_fingerprint(fp),
                        )
                    })
                    .collect(),
            }
        });
        d.blocks.push(Block::Signature(SignatureBlock {
            title,
            fields: fields(&line.name, &line.role),
            signed,
        }));
    }
}

/// A hex fingerprint in groups of four; anything else as given.
fn group_fingerprint(fp: &str) -> String {
    let fp = fp.trim();
    if fp.len() >= 16 && fp.chars().all(|c| c.is_ascii_hexdigit()) {
        super::certificate::grouped(fp)
    } else {
        fp.to_string()
    }
}

fn history(d: &mut Doc, ctx: &PdfContext) {
    let lang = d.lang;
    d.h1(d.pick("Versionsverlauf", "Version history"), false);
    if ctx.history.is_empty() {
        d.para(vec![Run::plain(d.pick(
            "Von dieser Vereinbarung wurde noch keine Version eingefroren.",
            "No version of this agreement has been frozen yet.",
        ))]);
    } else {
        d.para(vec![Run::plain(d.pick(
            "Jede eingefrorene Version ist unveränderlich und nennt den Hash ihrer Vorgängerin; zusammen bilden sie eine Hash-Kette. Die Unterschriften decken den Inhalt jeder Version ab; Hinweis und Zeitpunkt einer von Hand eingefrorenen Version sind nicht unterschrieben, die einer durch Änderung entstandenen stammen aus deren unterschriebenem Antrag und Freigaben.",
            "Every frozen version is immutable and names the hash of its predecessor; together they form a hash chain. The signatures cover each version's content; the note and time of a version frozen by hand are not signed, those of a version an amendment created come from its signed proposal and approvals.",
        ))]);
        let current = ctx.version.as_ref().map(|v| v.number);
        let mut rows: Vec<Vec<Cell>> = ctx
            .history
            .iter()
            .map(|v| {
                let this = Some(v.number) == current;
                let number = if this {
                    format!(
                        "{} ({})",
                        v.number,
                        lang.pick("dieses Dokument", "this document")
                    )
                } else {
                    v.number.to_string()
                };
                vec![
                    if this {
                        bold_cell(number)
                    } else {
                        cell(number)
                    },
                    cell(stamp(&v.created_at, lang)),
                    cell(v.note.clone()),
                    cell(format!("{}…", &v.hash[..v.hash.len().min(16)])),
                ]
            })
            .collect();
        if current.is_none() {
            rows.push(vec![
                bold_cell(lang.pick("Entwurf (dieses Dokument)", "Draft (this document)")),
                cell(moment(ctx.exported_at, lang)),
                cell(lang.pick("nicht eingefroren", "not frozen")),
                cell(format!(
                    "{}…",
                    &ctx.content_hash[..ctx.content_hash.len().min(16)]
                )),
            ]);
        }
        d.table(
            &[0.2, 0.24, 0.34, 0.22],
            &[
                d.pick("Version", "Version"),
                d.pick("Eingefroren am", "Frozen on"),
                d.pick("Hinweis", "Note"),
                d.pick("SHA-256 (Anfang)", "SHA-256 (start)"),
            ],
            rows,
        );
    }
    amendment_log(d, ctx);
}

/// The amendments log: every enacted amendment with its reason and approvers, taken from
/// the signed history (never typed by hand).
fn amendment_log(d: &mut Doc, ctx: &PdfContext) {
    if ctx.amendment_log.is_empty() {
        return;
    }
    let lang = d.lang;
    d.h2(vec![Run::plain(
        d.pick("Änderungsprotokoll", "Amendment log"),
    )]);
    d.para(vec![Run::plain(d.pick(
        "Jeder Nachtrag wurde von allen erforderlichen Rollen digital freigegeben; das Protokoll stammt aus der signierten Historie.",
        "Every amendment was approved with a digital signature by all required roles; this log is taken from the signed history.",
    ))]);
    let rows: Vec<Vec<Cell>> = ctx
        .amendment_log
        .iter()
        .map(|e| {
            vec![
                cell(e.amendment.to_string()),
                cell(e.version.to_string()),
                cell(e.reason.clone()),
                cell(stamp(&e.in_force_since, lang)),
                cell(e.approved_by.join(", ")),
            ]
        })
        .collect();
    d.table(
        &[0.12, 0.1, 0.3, 0.2, 0.28],
        &[
            d.pick("Nachtrag", "Amendment"),
            d.pick("Version", "Version"),
            d.pick("Grund", "Reason"),
            d.pick("In Kraft seit", "In force since"),
            d.pick("Freigegeben von", "Approved by"),
        ],
        rows,
    );
}

fn verification(d: &mut Doc, ctx: &PdfContext) {
    let lang = d.lang;
    d.h1(d.pick("Prüfangaben", "Verification"), false);
    let mut rows = Vec::new();
    let doc = match &ctx.version {
        Some(v) => format!("Version {}", v.number),
        None => lang
            .pick("Entwurf (nicht eingefroren)", "Draft (not frozen)")
            .to_string(),
    };
    rows.push((lang.pick("Fassung", "Version").to_string(), bold_cell(doc)));
    if let Some(id) = ctx.agreement_id {
        rows.push((
            lang.pick("Vereinbarung", "Agreement").to_string(),
            cell(format!("{} {id}", lang.pick("Nr.", "no."))),
        ));
    }
    if !ctx.agreement_uid.is_empty() {
        rows.push((
            lang.pick("Kennung (UID)", "Identifier (UID)").to_string(),
            cell(ctx.agreement_uid.clone()),
        ));
    }
    rows.push((
        lang.pick("Inhalts-Hash (SHA-256)", "Content hash (SHA-256)")
            .to_string(),
        cell(ctx.content_hash.clone()),
    ));
    if let Some(prev) = ctx.version.as_ref().and_then(|v| v.previous_hash.clone()) {
        rows.push((
            lang.pick("Hash der Vorgängerversion", "Hash of the previous version")
                .to_string(),
            cell(prev),
        ));
    }
    if let Some(checkpoint) = &ctx.checkpoint {
        rows.push((
            lang.pick("Prüfpunkt des Verlaufs", "History checkpoint")
                .to_string(),
            cell(checkpoint.clone()),
        ));
    }
    rows.push((
        lang.pick("Exportiert am", "Exported on").to_string(),
        cell(moment(ctx.exported_at, lang)),
    ));
    d.facts(rows);
    let id = ctx
        .agreement_id
        .map_or_else(|| "ID".to_string(), |i| i.to_string());
    let how = match lang {
        Language::De => format!(
            "Der Inhalts-Hash ist die SHA-256-Prüfsumme des kanonischen JSON-Inhalts der Vereinbarung (sortierte Schlüssel, keine Gleitkommazahlen). Pactum berechnet ihn bei jedem Lesen einer Version aus dem gespeicherten Inhalt neu und weist eine Version zurück, deren Inhalt nicht mehr zu ihrem Hash passt. Den vollständigen Hash jeder eingefrorenen Version zeigt der Befehl „pactum versions {id} --json“; stimmt er mit dem hier abgedruckten überein, bezieht sich dieses Dokument auf genau diese gespeicherte Version."
        ),
        Language::En => format!(
            "The content hash is the SHA-256 checksum of the agreement's canonical JSON content (sorted keys, no floating-point numbers). Pactum recomputes it from the stored content every time a version is read and refuses a version whose content no longer matches its hash. The command “pactum versions {id} --json” shows the full hash of every frozen version; if it matches the one printed here, this document refers to exactly that stored version."
        ),
    };
    d.para(vec![Run::plain(how)]);
    d.para(vec![Run::plain(d.pick(
        "Dass der Text dieser PDF-Datei selbst unverändert ist, belegen die in die Datei eingebetteten digitalen Signaturen: Jedes PDF-Programm (etwa Adobe Acrobat Reader oder pdfsig) zeigt sie an, und schon ein einziges geändertes Byte macht sie ungültig. Ohne eingebettete Signatur belegt die Datei das nicht.",
        "That the text of this PDF file itself is unaltered is shown by the digital signatures embedded in the file: any PDF reader (such as Adobe Acrobat Reader or pdfsig) shows them, and a single changed byte makes them invalid. Without an embedded signature the file does not show this.",
    ))]);
    if ctx.checkpoint.is_some() {
        d.para(vec![Run::plain(d.pick(
            "Der Prüfpunkt nennt die Kennung der Vereinbarung, die Zahl der Einträge ihres signierten Verlaufs und den Hash des neuesten Eintrags. Ein Verlauf, dem Einträge fehlen oder der durch einen älteren Stand ersetzt wurde, passt nicht mehr zu ihm.",
            "The checkpoint names the agreement's identifier, the number of entries in its signed history and the hash of the newest entry. A history that lacks entries, or was replaced by an older state, no longer matches it.",
        ))]);
    }
    d.para(vec![
        Run::plain(d.pick("Prüfen mit: ", "To check: ")),
        Run::bold(d.pick("pactum verify-pdf DATEI", "pactum verify-pdf FILE")),
        Run::plain(d.pick(
            " – prüft jede eingebettete Signatur und vergleicht Inhalts-Hash und Prüfpunkt (sie sind auch maschinenlesbar in den Dokumenteigenschaften abgelegt) mit dem Verlauf, den Pactum kennt.",
            " – checks every embedded signature and compares the content hash and checkpoint (also stored machine-readably in the document properties) with the history Pactum knows.",
        )),
    ]);
    if ctx.version.is_none() {
        d.para(vec![Run::new(
            d.pick(
                "Entwurf: Der Hash gilt für den Stand des Entwurfs zum Zeitpunkt des Exports. Er bezeichnet keine eingefrorene Version und ändert sich mit jeder Bearbeitung.",
                "Draft: the hash covers the draft as it was when exported. It names no frozen version and changes with every edit.",
            ),
            Attr::new(Style::Bold, colors::DRAFT),
        )]);
    }
}
