package io.mcptunnel.controlplane.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcptunnel.controlplane.store.Database;
import io.mcptunnel.controlplane.store.TestDatabase;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Reading and exporting the audit log, on each database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuditLogContract {
  private Database database;

  abstract TestDatabase kind();

  @BeforeAll
  void open() {
    database = Database.open(kind().freshUrl());
  }

  @AfterAll
  void close() {
    database.close();
  }

  @Test
  void exportWritesOneParseableLinePerEventAcrossBatchesAndOnlyTheOrganizations() throws Exception {
    AuditLog log = new AuditLog(database, 2);
    String org = "org_" + UUID.randomUUID();
    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
    for (int i = 0; i < 5; i++) {
      log.append(new AuditEvent(0, org, at.plusSeconds(i), "user:dave", "192.0.2.9",
          "tunnel.token.rotate", "tnl_" + i, "line one\nline \"two\"", AuditEvent.SUCCESS));
    }
    log.append(new AuditEvent(0, "org_other", at, "user:eve", null, "tunnel.create", null, null,
        AuditEvent.SUCCESS));

    StringWriter out = new StringWriter();
    log.exportJsonLines(org, out);

    String[] lines = out.toString().split("\n");
    assertThat(lines).hasSize(5);
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < 5; i++) {
      JsonNode line = json.readTree(lines[i]);
      assertThat(line.get("target").asText()).isEqualTo("tnl_" + i);
      assertThat(line.get("reason").asText()).isEqualTo("line one\nline \"two\"");
      assertThat(line.get("occurred_at").asText()).isEqualTo(at.plusSeconds(i).toString());
      assertThat(line.get("actor").asText()).isEqualTo("user:dave");
      assertThat(line.get("source_address").asText()).isEqualTo("192.0.2.9");
    }
  }

  @Test
  void queryPagesOldestFirstByEventId() {
    AuditLog log = new AuditLog(database);
    String org = "org_" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      log.append(new AuditEvent(0, org, Instant.now(), "user:dave", null, "tunnel.create",
          "tnl_" + i, null, AuditEvent.SUCCESS));
    }
    var first = log.query(org, 0, 2);
    var rest = log.query(org, first.get(1).id(), 10);

    assertThat(first).extracting(AuditEvent::target).containsExactly("tnl_0", "tnl_1");
    assertThat(rest).extracting(AuditEvent::target).containsExactly("tnl_2");
  }
}
