package io.mcptunnel.controlplane.federation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.controlplane.federation.AuthenticationRecord;
import io.mcptunnel.controlplane.federation.FailureCause;
import io.mcptunnel.controlplane.store.Database;
import io.mcptunnel.controlplane.store.TestDatabase;
import io.mcptunnel.controlplane.tenancy.Organizations;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The stored authentication history: per organization, newest first, bounded per organization. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcAuthenticationHistoryContract {
  private Database database;
  private JdbcAuthenticationHistory history;

  abstract TestDatabase kind();

  @BeforeAll
  void open() {
    database = Database.open(kind().freshUrl());
    history = new JdbcAuthenticationHistory(database, 3);
    Organizations organizations = new Organizations(database, Clock.systemUTC());
    for (String org : new String[] {"org_h1", "org_h2", "org_h3", "org_long"}) {
      organizations.createOrganization(org, null);
    }
  }

  @AfterAll
  void close() {
    database.close();
  }

  static AuthenticationRecord record(String org, int second, FailureCause cause) {
    return new AuthenticationRecord(org, Instant.parse("2026-03-01T12:00:00Z").plusSeconds(second),
        "fdrl_r" + second, "https://idp.example", "sub-" + second, cause, cause == null ? "granted" : "refused");
  }

  @Test
  void recordsAreReadPerOrganizationNewestFirstUpToTheLimit() {
    AuthenticationRecord first = record("org_h1", 1, FailureCause.EXPIRED);
    AuthenticationRecord second = record("org_h1", 2, null);
    AuthenticationRecord third = record("org_h1", 3, FailureCause.UNKNOWN_RULE);
    history.record(first);
    history.record(record("org_h2", 4, FailureCause.BAD_SIGNATURE));
    history.record(second);
    history.record(third);

    assertThat(history.recent("org_h1", 10)).containsExactly(third, second, first);
    assertThat(history.recent("org_h1", 2)).containsExactly(third, second);
    assertThat(history.recent("org_h2", 10)).extracting(AuthenticationRecord::subject).containsExactly("sub-4");
    assertThat(history.recent("org_none", 10)).isEmpty();
  }

  @Test
  void onlyTheNewestRecordsOfEachOrganizationAreKept() {
    for (int i = 10; i < 15; i++) {
      history.record(record("org_h3", i, FailureCause.EXPIRED));
    }

    assertThat(history.recent("org_h3", 10)).extracting(AuthenticationRecord::subject)
        .containsExactly("sub-14", "sub-13", "sub-12");
  }

  @Test
  void attemptsNamingAnUnknownOrganizationAreNotKept() {
    history.record(record("org_unregistered", 1, FailureCause.UNKNOWN_RULE));

    assertThat(history.recent("org_unregistered", 10)).isEmpty();
  }

  @Test
  void overlongValuesAreCutToTheColumnsRatherThanLost() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    history.record(new AuthenticationRecord("org_long", now, null, "i".repeat(300), "s".repeat(300),
        FailureCause.UNKNOWN_RULE, "d".repeat(3000)));

    assertThat(history.recent("org_long", 1)).singleElement().satisfies(r -> {
      assertThat(r.time()).isEqualTo(now);
      assertThat(r.issuer()).hasSize(256);
      assertThat(r.subject()).hasSize(256);
      assertThat(r.detail()).hasSize(2048);
      assertThat(r.cause()).isEqualTo(FailureCause.UNKNOWN_RULE);
    });
  }
}
