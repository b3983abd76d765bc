import { monthTitle } from "@/components/display/display-names";
import { Card } from "@/components/ui/card";
import { MoneyText } from "@/components/ui/money-text";
import type { Locale } from "@/lib/i18n/config";
import { formatAmount } from "@/lib/i18n/format-money";
import { getTranslator } from "@/lib/i18n/get-translator";
import { describeEmptyForecast } from "@/lib/runway/describe-forecast";
import type { BurnForecast, Runway } from "@/lib/runway/forecast-runway";
import type { EmptyForecast } from "@/lib/runway/project-empty-date";
import styles from "./runway-card.module.css";

function Forecast({ forecast, testId, locale }: { forecast: EmptyForecast; testId: string; locale: Locale }) {
  const t = getTranslator(locale, "billing");
  const recharges = forecast.kind === "date" || forecast.kind === "beyond" ? forecast.recharges : 0;
  return (
    <dd data-testid={testId} data-kind={forecast.kind} data-date={"date" in forecast ? forecast.date : undefined}>
      {describeEmptyForecast(forecast, locale)}
      {recharges > 0 ? <span className={styles.muted}> {t("runway.recharges", { count: recharges })}</span> : null}
    </dd>
  );
}

function BurnWindow({ burn, currency, locale }: { burn: BurnForecast; currency: string; locale: Locale }) {
  const t = getTranslator(locale, "billing");
  return (
    <section className={styles.window} data-testid={`runway-window-${burn.days}`}>
      <h3 className={styles.windowTitle}>{t(`runway.window_${burn.days}`)}</h3>
      <p className={styles.rate}>
        <MoneyText
          amount={burn.burnPerDay}
          currency={currency}
          locale={locale}
          data-testid={`runway-burn-${burn.days}`}
        />{" "}
        <span className={styles.muted}>{t("runway.perDay")}</span>
      </p>
      <dl className={styles.facts}>
        <div>
          <dt>{t("runway.emptyOn")}</dt>
          <Forecast forecast={burn.empty} testId={`runway-empty-${burn.days}`} locale={locale} />
        </div>
        {burn.withAutoRecharge ? (
          <div>
            <dt>{t("runway.withAutoRecharge")}</dt>
            <Forecast forecast={burn.withAutoRecharge} testId={`runway-recharge-${burn.days}`} locale={locale} />
          </div>
        ) : null}
      </dl>
    </section>
  );
}

/**
 * The overview's runway (OWNER and ADMIN): burn per day over 7 and 30 days, the day the pool
 * runs empty at each, with auto-recharge where it is on, and this month's projection against
 * last month. The method opens on hover and on keyboard focus (README "Runway").
 */
export function RunwayCard({ runway, locale }: { runway: Runway; locale: Locale }) {
  const t = getTranslator(locale, "billing");
  const { month, autoRecharge, currency } = runway;
  const lastMonthTitle = monthTitle(month.lastMonth.year, month.lastMonth.month, locale);
  return (
    <Card title={t("runway.title")} data-testid="runway" className={styles.card}>
      {runway.hasUsage ? (
        <>
          <div className={styles.windows}>
            {runway.burn.map((burn) => (
              <BurnWindow key={burn.days} burn={burn} currency={currency} locale={locale} />
            ))}
          </div>
          <p className={styles.hint} data-testid="runway-auto-recharge" data-state={autoRecharge.state}>
            {t(`runway.autoRecharge.${autoRecharge.state}`, {
              amount: autoRecharge.amount ? formatAmount(autoRecharge.amount, locale, { currency }) : "",
              left: autoRecharge.leftThisMonth,
              max: autoRecharge.maxPerMonth,
            })}
          </p>
          {autoRecharge.pending ? (
            <p className={styles.hint} data-testid="runway-pending">
              {t("runway.pending", { amount: formatAmount(autoRecharge.pending, locale, { currency }) })}
            </p>
          ) : null}
          <section className={styles.month} data-testid="runway-month">
            <h3 className={styles.windowTitle}>
              {t("runway.monthProjected", { month: monthTitle(month.year, month.month, locale) })}
            </h3>
            <p className={styles.rate}>
              <MoneyText
                amount={month.projectedTotal}
                currency={currency}
                locale={locale}
                data-testid="runway-month-projected"
              />
            </p>
            <p className={styles.hint} data-testid="runway-month-so-far">
              {t("runway.monthSoFar", { amount: formatAmount(month.spentSoFar, locale, { currency }) })}
            </p>
            <p className={styles.hint} data-testid="runway-last-month">
              {t("runway.lastMonth", {
                month: lastMonthTitle,
                amount: formatAmount(month.lastMonth.total, locale, { currency }),
              })}
            </p>
          </section>
          {runway.complete ? null : <p className={styles.hint}>{t("runway.incomplete")}</p>}
        </>
      ) : (
        <p className={styles.hint} data-testid="runway-empty">
          {t("runway.empty")}
        </p>
      )}
      <div className={styles.method}>
        <button
          type="button"
          className={styles.methodButton}
          aria-describedby="runway-method"
          data-testid="runway-method-button"
        >
          {t("runway.method.label")}
        </button>
        <div id="runway-method" role="tooltip" className={styles.methodTip} data-testid="runway-method">
          <p>{t("runway.method.burn")}</p>
          <p>{t("runway.method.empty")}</p>
          <p>{t("runway.method.recharge")}</p>
          <p>{t("runway.method.month")}</p>
        </div>
      </div>
    </Card>
  );
}
