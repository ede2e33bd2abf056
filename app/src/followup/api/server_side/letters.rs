//! Letters, their templates, and the setting's thresholds.

use super::*;

fn letter_kind(kind: &str) -> Result<LetterKind, AppError> {
    LetterKind::from_code(kind).ok_or_else(|| {
        AppError::invalid(
            "kind",
            format!(
                "{} is not a letter; use concern or progress",
                quoted_value(kind)
            ),
        )
    })
}

async fn filled_letter(ctx: &Ctx, child: Uuid, kind: LetterKind) -> Result<LetterView, AppError> {
    check_child(&ctx.pool, ctx.setting.id, child).await?;
    let loaded = rule_records(ctx, Some(child)).await?;
    let records = loaded
        .first()
        .ok_or_else(|| AppError::not_found("This child"))?;
    let evidence = Evidence::gather(&records.records, ctx.today);
    if !evidence.recent.rate.has_data() {
        return Err(AppError::conflict(format!(
            "{} has no booked sessions in the register over the last 6 weeks, so a letter \
             would have no figures to give",
            records.child.first_name
        )));
    }
    let carer = contacts(&ctx.pool, child)
        .await?
        .into_iter()
        .next()
        .map_or_else(|| "Parent or carer".to_owned(), |contact| contact.name);
    let template = cases::letter_template(&ctx.pool, ctx.setting.id, kind).await?;
    let values = [
        ("{carer}", carer),
        ("{child}", records.child.first_name.clone()),
        ("{setting}", ctx.setting.name.clone()),
        ("{manager}", ctx.actor.name.clone()),
        ("{recent_rate}", evidence.recent.rate.label()),
        (
            "{recent_attended}",
            evidence.recent.rate.attended.to_string(),
        ),
        (
            "{recent_possible}",
            evidence.recent.rate.possible.to_string(),
        ),
        ("{previous_rate}", evidence.previous.rate.label()),
    ];
    Ok(LetterView {
        child,
        child_name: records.child.full_name(),
        kind: kind.code().to_owned(),
        title: kind.label().to_owned(),
        date: ctx.today.format("%-d %B %Y").to_string(),
        body: fill(&template, &values),
    })
}

pub async fn letter(child: Uuid, kind: String) -> Result<LetterView, AppError> {
    checked(async move {
        let ctx = context().await?;
        filled_letter(&ctx, child, letter_kind(&kind)?).await
    })
    .await
}

pub async fn send_letter(child: Uuid, kind: String) -> Result<(), AppError> {
    checked(async move {
        let ctx = context().await?;
        let kind = letter_kind(&kind)?;
        let letter = filled_letter(&ctx, child, kind).await?;
        let body = format!("{}\n\n{}", letter.date, letter.body);
        let sent = cases::SentLetter {
            child,
            kind,
            body: &body,
            today: ctx.today,
        };
        cases::record_letter(&ctx.pool, &ctx.caller, &ctx.actor, sent, ctx.now).await
    })
    .await
}

pub async fn letter_templates() -> Result<Vec<(String, String, String)>, AppError> {
    checked(async move {
        let ctx = context().await?;
        let mut list = Vec::new();
        for kind in LetterKind::ALL {
            let body = cases::letter_template(&ctx.pool, ctx.setting.id, kind).await?;
            list.push((kind.code().to_owned(), kind.label().to_owned(), body));
        }
        Ok(list)
    })
    .await
}

pub async fn save_letter_template(kind: String, body: String) -> Result<(), AppError> {
    checked(async move {
        let ctx = context().await?;
        let kind = letter_kind(&kind)?;
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 5_000 {
            return Err(AppError::invalid("body", "write the letter in 1 to 5,000 characters"));
        }
        let unknown = unknown_placeholders(body);
        if !unknown.is_empty() {
            return Err(AppError::invalid(
                "body",
                if unknown.len() == 1 {
                    format!("{} is not a placeholder this letter can fill; check the spelling against the list", unknown[0])
                } else {
                    format!("{} are not placeholders this letter can fill; check the spelling against the list", unknown.join(", "))
                },
            ));
        }
        cases::save_letter_template(&ctx.pool, &ctx.caller, &ctx.actor, kind, body, ctx.now).await
    })
    .await
}

pub async fn rules() -> Result<RuleSettings, AppError> {
    checked(async move { Ok(context().await?.rules) }).await
}

pub async fn save_rules(rules: RuleSettings) -> Result<(), AppError> {
    checked(async move {
        let ctx = context().await?;
        crate::store::attendance::save_rules(&ctx.pool, ctx.setting.id, &rules).await?;
        let entry = crate::store::accounts::AuditEntry::new(&ctx.caller, "thresholds_changed")
            .setting(ctx.setting.id)
            .detail(serde_json::to_string(&rules).unwrap_or_default());
        crate::store::accounts::audit(&ctx.pool, entry, ctx.now).await
    })
    .await
}
