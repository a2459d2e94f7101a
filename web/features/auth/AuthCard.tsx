import type { ReactNode } from 'react';

/**
 * The centred card of the pages outside the app shell: login and the forced password change.
 * Plain elements on purpose: antd's Card and Typography bring tabs, menus and tooltips that the
 * login bundle does not need.
 */
export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <main className="kj-auth">
      <section className="kj-auth-card" aria-labelledby="kj-auth-title">
        <header className="kj-auth-header">
          <h1 id="kj-auth-title">科经信工作平台</h1>
          <p>{title}</p>
          {subtitle ? <div className="kj-auth-subtitle">{subtitle}</div> : null}
        </header>
        {children}
      </section>
    </main>
  );
}
