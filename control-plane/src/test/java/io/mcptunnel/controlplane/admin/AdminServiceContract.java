package io.mcptunnel.controlplane.admin;

import static com.nimbusds.jose.JWSAlgorithm.RS256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcptunnel.controlplane.audit.AuditEvent;
import io.mcptunnel.controlplane.audit.AuditLog;
import io.mcptunnel.controlplane.federation.AuthenticationRecord;
import io.mcptunnel.controlplane.federation.ExchangeRequest;
import io.mcptunnel.controlplane.federation.ExchangeResult;
import io.mcptunnel.controlplane.federation.FailureCause;
import io.mcptunnel.controlplane.federation.FederationIssuer;
import io.mcptunnel.controlplane.federation.FederationRule;
import io.mcptunnel.controlplane.federation.HttpJwksFetcher;
import io.mcptunnel.controlplane.federation.IssuerUrlPolicy;
import io.mcptunnel.controlplane.federation.JwksCache;
import io.mcptunnel.controlplane.federation.JwksSource;
import io.mcptunnel.controlplane.federation.TokenExchange;
import io.mcptunnel.controlplane.federation.jdbc.JdbcAuthenticationHistory;
import io.mcptunnel.controlplane.federation.jdbc.JdbcFederationDirectory;
import io.mcptunnel.controlplane.store.Database;
import io.mcptunnel.testing.MutableClock;
import io.mcptunnel.controlplane.store.TestDatabase;
import io.mcptunnel.controlplane.tunnels.Actor;
import io.mcptunnel.controlplane.tunnels.ErrorKind;
import io.mcptunnel.controlplane.tunnels.TunnelApiException;
import io.mcptunnel.controlplane.tunnels.TunnelService;
import io.mcptunnel.controlplane.tunnels.TunnelServiceConfig;
import io.mcptunnel.testing.TestOidcIssuer;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin contract (SPEC §4.2 federation, §4.3 audit), run once per database by the subclasses.
 * Each test works in organizations of its own, so tests share one database per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AdminServiceContract {
  static final String AUD = "https://mcptunnel.example";
  static final String SUB = "repo:acme/app:ref:refs/heads/main";
  static final Operator OPERATOR = new Operator("operator:root", "198.51.100.7");

  Database database;
  MutableClock clock;
  AuditLog audit;
  JdbcFederationDirectory directory;
  JdbcAuthenticationHistory history;
  AdminService admin;
  Actor alice;

  abstract TestDatabase kind();

  @BeforeAll
  void openDatabase() {
    database = Database.open(kind().freshUrl());
  }

  @AfterAll
  void closeDatabase() {
    database.close();
  }

  @BeforeEach
  void newOrganization() {
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    audit = new AuditLog(database);
    directory = new JdbcFederationDirectory(database);
    history = new JdbcAuthenticationHistory(database);
    admin = new AdminService(database, audit, directory, history, clock);
    alice = newAdmin("user:alice");
  }

  Actor newAdmin(String principal) {
    Organization org = admin.createOrganization(OPERATOR, "Acme", 5, "onboarding");
    return new Actor(org.id(), null, principal, "192.0.2.10");
  }

  static void assertRefused(ThrowingCallable call, ErrorKind kind, String messageStart) {
    assertThatThrownBy(call).isInstanceOfSatisfying(TunnelApiException.class, e -> {
      assertThat(e.kind()).isEqualTo(kind);
      assertThat(e.getMessage()).startsWith(messageStart);
    });
  }

  List<AuditEvent> events(Actor actor) {
    return audit.query(actor.organizationId(), 0, 1000);
  }

  /** An organization with one workspace and one service account in it. */
  record Tenant(Actor admin, Workspace workspace, ServiceAccount account) {}

  Tenant tenant() {
    Workspace ws = admin.createWorkspace(alice, "prod", "new team");
    ServiceAccount sa = admin.createServiceAccount(alice, "deployer", List.of(ws.id()), "ci");
    return new Tenant(alice, ws, sa);
  }

  static RuleInput ruleInput(String issuerId, Tenant t, Integer lifetime) {
    return new RuleInput(issuerId, "repo:acme/app:*", AUD, Map.of("environment", "prod"), t.account().id(),
        t.workspace().id(), "workspace:manage_tunnels", lifetime);
  }

  // --- organizations ---

  @Test
  void organizationsAreCreatedWithTheirLimitListedAndAudited() {
    Organization limited = admin.createOrganization(OPERATOR, "Limited", 3, "contract signed");
    Organization defaulted = admin.createOrganization(OPERATOR, null, null, null);

    assertThat(limited.id()).startsWith("org_");
    assertThat(admin.listOrganizations(OPERATOR)).contains(limited, defaulted);
    assertThat(admin.listOrganizations(OPERATOR)).filteredOn(o -> o.id().equals(defaulted.id()))
        .singleElement().extracting(Organization::maxActiveTunnels).isNull();
    Actor limitedOrg = new Actor(limited.id(), null, "x", null);
    assertThat(events(limitedOrg)).singleElement().satisfies(e -> {
      assertThat(e.action()).isEqualTo("organization.create");
      assertThat(e.actor()).isEqualTo("operator:root");
      assertThat(e.sourceAddress()).isEqualTo("198.51.100.7");
      assertThat(e.target()).isEqualTo(limited.id());
      assertThat(e.reason()).isEqualTo("contract signed");
      assertThat(e.outcome()).isEqualTo(AuditEvent.SUCCESS);
      assertThat(e.occurredAt()).isEqualTo(clock.instant());
    });
  }

  @Test
  void organizationInputIsValidatedNamingTheField() {
    assertRefused(() -> admin.createOrganization(OPERATOR, "x", 0, null), ErrorKind.INVALID_REQUEST,
        "max_active_tunnels: 0");
    assertRefused(() -> admin.createOrganization(OPERATOR, " ", null, null), ErrorKind.INVALID_REQUEST,
        "display_name:");
    assertRefused(() -> admin.createOrganization(OPERATOR, "x", null, "r".repeat(1025)),
        ErrorKind.INVALID_REQUEST, "reason:");
  }

  @Test
  void theTunnelsServiceEnforcesTheLimitSetAtCreation() {
    Organization org = admin.createOrganization(OPERATOR, "Small", 1, null);
    Actor orgAdmin = new Actor(org.id(), null, "user:carol", null);
    Workspace ws = admin.createWorkspace(orgAdmin, "only", null);
    Actor member = new Actor(org.id(), ws.id(), "svac_deployer", null);
    TunnelService tunnels = new TunnelService(database, audit, clock,
        TunnelServiceConfig.of("tunnels.example.test", "admin-contract-key-admin-contract-key".getBytes()));

    tunnels.create(member, "first");

    assertRefused(() -> tunnels.create(member, "second"), ErrorKind.CONFLICT, "");
  }

  // --- workspaces and service accounts ---

  @Test
  void workspacesAndServiceAccountsAreVisibleOnlyInTheirOrganization() {
    Tenant t = tenant();
    Actor bob = newAdmin("user:bob");

    assertThat(admin.listWorkspaces(alice)).containsExactly(t.workspace());
    assertThat(t.workspace().id()).startsWith("wrkspc_");
    assertThat(t.account().id()).startsWith("svac_");
    assertThat(t.account().workspaceIds()).containsExactly(t.workspace().id());
    assertThat(admin.listServiceAccounts(alice)).containsExactly(t.account());
    assertThat(admin.getServiceAccount(alice, t.account().id())).isEqualTo(t.account());

    assertThat(admin.listWorkspaces(bob)).isEmpty();
    assertThat(admin.listServiceAccounts(bob)).isEmpty();
    assertRefused(() -> admin.getServiceAccount(bob, t.account().id()), ErrorKind.NOT_FOUND, "service account");
    assertRefused(() -> admin.createServiceAccount(bob, "thief", List.of(t.workspace().id()), null),
        ErrorKind.INVALID_REQUEST, "workspace_ids: " + t.workspace().id());
  }

  @Test
  void serviceAccountsJoinFurtherWorkspacesOnce() {
    Tenant t = tenant();
    Workspace staging = admin.createWorkspace(alice, "staging", null);

    ServiceAccount joined = admin.addServiceAccountToWorkspace(alice, t.account().id(), staging.id(), "rollout");

    assertThat(joined.workspaceIds()).containsExactlyInAnyOrder(t.workspace().id(), staging.id());
    assertRefused(() -> admin.addServiceAccountToWorkspace(alice, t.account().id(), staging.id(), null),
        ErrorKind.CONFLICT, "workspace_id: " + staging.id());
    assertRefused(() -> admin.addServiceAccountToWorkspace(alice, "svac_nope", staging.id(), null),
        ErrorKind.NOT_FOUND, "service account svac_nope");
    assertRefused(() -> admin.addServiceAccountToWorkspace(alice, t.account().id(), "wrkspc_nope", null),
        ErrorKind.INVALID_REQUEST, "workspace_id: wrkspc_nope");
    assertThat(admin.getServiceAccount(alice, t.account().id())).isEqualTo(joined);
  }

  @Test
  void aWorkspaceBoundCredentialIsNotAnAdminAndTheRefusalIsAudited() {
    Actor bound = new Actor(alice.organizationId(), "wrkspc_x", "svac_bot", "203.0.113.5");

    assertRefused(() -> admin.createWorkspace(bound, "w", "try"), ErrorKind.PERMISSION, "organization admin");
    assertRefused(() -> admin.listServiceAccounts(bound), ErrorKind.PERMISSION, "organization admin");
    assertRefused(() -> admin.authenticationHistory(bound, null), ErrorKind.PERMISSION, "organization admin");
    assertThat(events(alice)).last().satisfies(e -> {
      assertThat(e.action()).isEqualTo("workspace.create");
      assertThat(e.actor()).isEqualTo("svac_bot");
      assertThat(e.sourceAddress()).isEqualTo("203.0.113.5");
      assertThat(e.outcome()).startsWith("denied: permission_error");
    });
  }

  // --- federation issuers ---

  @Test
  void issuersOfAllThreeJwksSourcesRoundTripThroughTheDirectory() {
    String jwks;
    try (TestOidcIssuer idp = TestOidcIssuer.start(clock)) {
      jwks = idp.publishedJwks();
    }
    FederationIssuer discovery = admin.createIssuer(alice,
        new IssuerInput("https://token.actions.example.com", "discovery", null, null), "github");
    FederationIssuer explicit = admin.createIssuer(alice,
        new IssuerInput("https://idp.example.com/tenant", "explicit_url", "https://idp.example.com/keys", null), null);
    FederationIssuer inline = admin.createIssuer(alice,
        new IssuerInput("https://k8s.example.com", "inline", null, jwks), null);

    assertThat(discovery.jwks()).isInstanceOf(JwksSource.Discovery.class);
    assertThat(directory.issuer(discovery.id())).contains(discovery);
    assertThat(directory.issuer(explicit.id())).contains(explicit);
    assertThat(directory.issuer(inline.id())).contains(inline);
    assertThat(((JwksSource.Inline) directory.issuer(inline.id()).orElseThrow().jwks()).jwksJson()).isEqualTo(jwks);
    assertThat(admin.listIssuers(alice)).containsExactly(discovery, explicit, inline);
    assertThat(admin.getIssuer(alice, explicit.id())).isEqualTo(explicit);
    Actor bob = newAdmin("user:bob");
    assertThat(admin.listIssuers(bob)).isEmpty();
    assertRefused(() -> admin.getIssuer(bob, explicit.id()), ErrorKind.NOT_FOUND, "federation issuer");
    assertThat(directory.issuer("fdis_nope")).isEmpty();
  }

  @Test
  void issuerInputIsValidatedNamingTheField() {
    assertRefused(() -> admin.createIssuer(alice, new IssuerInput(null, null, null, null), null),
        ErrorKind.INVALID_REQUEST, "issuer_url: missing");
    assertRefused(() -> admin.createIssuer(alice, new IssuerInput("https://a.example?x=1", null, null, null), null),
        ErrorKind.INVALID_REQUEST, "issuer_url: https://a.example?x=1");
    assertRefused(() -> admin.createIssuer(alice, new IssuerInput("https://a.example", "magic", null, null), null),
        ErrorKind.INVALID_REQUEST, "jwks_source: magic");
    assertRefused(() -> admin.createIssuer(alice,
        new IssuerInput("https://a.example", "explicit_url", null, null), null),
        ErrorKind.INVALID_REQUEST, "jwks_url: missing");
    assertRefused(() -> admin.createIssuer(alice,
        new IssuerInput("https://a.example", "discovery", "https://a.example/k", null), null),
        ErrorKind.INVALID_REQUEST, "jwks_url: only allowed");
    assertRefused(() -> admin.createIssuer(alice, new IssuerInput("https://a.example", "inline", null, "{}"), null),
        ErrorKind.INVALID_REQUEST, "jwks:");
    assertThat(admin.listIssuers(alice)).isEmpty();
  }

  @Test
  void anInlineJwksWithPrivateKeyMaterialIsRefusedWithoutEchoingIt() throws Exception {
    String privateJwks = new com.nimbusds.jose.jwk.JWKSet(
        new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("k1").generate()).toString(false);
    String privateExponent = privateJwks.replaceAll(".*\"d\":\"([^\"]{20}).*", "$1");

    assertRefused(() -> admin.createIssuer(alice, new IssuerInput("https://a.example", "inline", null, privateJwks),
        "oops"), ErrorKind.INVALID_REQUEST, "jwks: contains private");

    StringWriter exported = new StringWriter();
    audit.exportJsonLines(alice.organizationId(), exported);
    assertThat(exported.toString()).contains("federation.issuer.create").doesNotContain(privateExponent);
  }

  // --- federation rules ---

  @Test
  void rulesAreValidatedStoredAndReadBackWhole() {
    Tenant t = tenant();
    FederationIssuer issuer = admin.createIssuer(alice,
        new IssuerInput("https://idp.example.com", null, null, null), null);

    FederationRule rule = admin.createRule(alice, ruleInput(issuer.id(), t, null), "ci deploys");

    assertThat(rule.id()).startsWith("fdrl_");
    assertThat(rule.tokenLifetimeSeconds()).isEqualTo(FederationRule.DEFAULT_LIFETIME_SECONDS);
    assertThat(directory.rule(rule.id())).contains(rule);
    assertThat(admin.getRule(alice, rule.id())).isEqualTo(rule);
    assertThat(admin.listRules(alice)).containsExactly(rule);
    Actor bob = newAdmin("user:bob");
    assertThat(admin.listRules(bob)).isEmpty();
    assertRefused(() -> admin.getRule(bob, rule.id()), ErrorKind.NOT_FOUND, "federation rule");
  }

  @Test
  void ruleInputIsValidatedNamingTheField() {
    Tenant t = tenant();
    FederationIssuer issuer = admin.createIssuer(alice,
        new IssuerInput("https://idp.example.com", null, null, null), null);
    Actor bob = newAdmin("user:bob");
    FederationIssuer bobsIssuer = admin.createIssuer(bob,
        new IssuerInput("https://idp.example.com", null, null, null), null);
    ServiceAccount outsider = admin.createServiceAccount(alice, "outsider", List.of(), null);
    RuleInput good = ruleInput(issuer.id(), t, 3600);

    assertRefused(() -> admin.createRule(alice, ruleInput(issuer.id(), t, 59), null),
        ErrorKind.INVALID_REQUEST, "token_lifetime_seconds: 59");
    assertRefused(() -> admin.createRule(alice, ruleInput(issuer.id(), t, 86_401), null),
        ErrorKind.INVALID_REQUEST, "token_lifetime_seconds: 86401");
    assertRefused(() -> admin.createRule(alice, new RuleInput(issuer.id(), null, AUD, Map.of(),
        t.account().id(), t.workspace().id(), "workspace:manage_tunnels", null), null),
        ErrorKind.INVALID_REQUEST, "match: no subject_prefix and no claims");
    assertRefused(() -> admin.createRule(alice, new RuleInput(issuer.id(), "a*b", AUD, null,
        t.account().id(), t.workspace().id(), "workspace:manage_tunnels", null), null),
        ErrorKind.INVALID_REQUEST, "match.subject_prefix: a*b");
    assertRefused(() -> admin.createRule(alice, new RuleInput(issuer.id(), SUB, AUD, null,
        t.account().id(), t.workspace().id(), "Bad Scope!", null), null),
        ErrorKind.INVALID_REQUEST, "scope: Bad Scope!");
    assertRefused(() -> admin.createRule(alice, new RuleInput(bobsIssuer.id(), SUB, AUD, null,
        t.account().id(), t.workspace().id(), "workspace:manage_tunnels", null), null),
        ErrorKind.INVALID_REQUEST, "issuer_id: " + bobsIssuer.id());
    assertRefused(() -> admin.createRule(alice, new RuleInput(issuer.id(), SUB, AUD, null,
        outsider.id(), t.workspace().id(), "workspace:manage_tunnels", null), null),
        ErrorKind.INVALID_REQUEST, "service_account_id: " + outsider.id() + " (expected: a member");
    assertRefused(() -> admin.createRule(alice, new RuleInput(issuer.id(), SUB, AUD, null,
        t.account().id(), "wrkspc_nope", "workspace:manage_tunnels", null), null),
        ErrorKind.INVALID_REQUEST, "workspace_id: wrkspc_nope");
    assertThat(admin.listRules(alice)).isEmpty();
    assertThat(admin.createRule(alice, good, null).issuerId()).isEqualTo(issuer.id());
  }

  // --- audit ---

  @Test
  void everyAdminMutationIsAuditedWithWhoWhereWhatAndWhy() {
    Tenant t = tenant();
    Workspace staging = admin.createWorkspace(alice, "staging", "second env");
    admin.addServiceAccountToWorkspace(alice, t.account().id(), staging.id(), "promote");
    FederationIssuer issuer = admin.createIssuer(alice,
        new IssuerInput("https://idp.example.com", null, null, null), "trust idp");
    FederationRule rule = admin.createRule(alice, ruleInput(issuer.id(), t, null), "ci");

    List<AuditEvent> events = events(alice);
    assertThat(events).extracting(AuditEvent::action).containsExactly("organization.create", "workspace.create",
        "service_account.create", "workspace.create", "service_account.workspace.add",
        "federation.issuer.create", "federation.rule.create");
    assertThat(events).extracting(AuditEvent::target).containsExactly(alice.organizationId(),
        t.workspace().id(), t.account().id(), staging.id(), t.account().id(), issuer.id(), rule.id());
    assertThat(events).extracting(AuditEvent::reason).containsExactly("onboarding", "new team", "ci",
        "second env", "promote", "trust idp", "ci");
    assertThat(events.subList(1, events.size())).allSatisfy(e -> {
      assertThat(e.actor()).isEqualTo("user:alice");
      assertThat(e.sourceAddress()).isEqualTo("192.0.2.10");
      assertThat(e.outcome()).isEqualTo(AuditEvent.SUCCESS);
    });
  }

  @Test
  void aRefusedMutationIsAuditedWithItsReasonAndChangesNothing() {
    assertRefused(() -> admin.createServiceAccount(alice, "x", List.of("wrkspc_nope"), "try"),
        ErrorKind.INVALID_REQUEST, "workspace_ids: wrkspc_nope");

    assertThat(admin.listServiceAccounts(alice)).isEmpty();
    assertThat(events(alice)).last().satisfies(e -> {
      assertThat(e.action()).isEqualTo("service_account.create");
      assertThat(e.reason()).isEqualTo("try");
      assertThat(e.outcome()).isEqualTo("denied: invalid_request_error: workspace_ids: wrkspc_nope"
          + " (expected: a workspace of this organization)");
    });
  }

  // --- the token exchange on the stored directory and history ---

  @Test
  void theTokenExchangeUsesStoredRulesAndRecordsToTheOrganizationsHistory() {
    try (TestOidcIssuer idp = TestOidcIssuer.start(clock)) {
      Tenant t = tenant();
      FederationIssuer issuer = admin.createIssuer(alice, new IssuerInput(idp.issuer(), "discovery", null, null), null);
      FederationRule rule = admin.createRule(alice, ruleInput(issuer.id(), t, 600), null);
      TokenExchange exchange = new TokenExchange(directory,
          new JwksCache(new HttpJwksFetcher(new IssuerUrlPolicy(true)), clock, Duration.ofMinutes(5),
              Duration.ofSeconds(30)), history, clock);
      String good = idp.token(SUB, AUD).claim("environment", "prod").sign(RS256);
      String wrongAudience = idp.token(SUB, "https://other.example").claim("environment", "prod").sign(RS256);

      ExchangeResult granted = exchange.exchange(new ExchangeRequest(ExchangeRequest.JWT_BEARER, good, rule.id(),
          alice.organizationId(), null));
      clock.advance(Duration.ofSeconds(1));
      ExchangeResult refused = exchange.exchange(new ExchangeRequest(ExchangeRequest.JWT_BEARER, wrongAudience,
          rule.id(), alice.organizationId(), null));

      assertThat(granted).isInstanceOfSatisfying(ExchangeResult.Success.class, s -> {
        assertThat(s.grant().serviceAccountId()).isEqualTo(t.account().id());
        assertThat(s.grant().workspaceId()).isEqualTo(t.workspace().id());
        assertThat(s.grant().expiresInSeconds()).isEqualTo(600);
      });
      assertThat(refused).isInstanceOfSatisfying(ExchangeResult.Failure.class,
          f -> assertThat(f.publicMessage()).isEqualTo(ExchangeResult.AUTHENTICATION_FAILED));
      List<AuthenticationRecord> seen = admin.authenticationHistory(alice, null);
      assertThat(seen).extracting(AuthenticationRecord::cause).containsExactly(FailureCause.AUDIENCE_MISMATCH, null);
      assertThat(seen).allSatisfy(r -> {
        assertThat(r.ruleId()).isEqualTo(rule.id());
        assertThat(r.issuer()).isEqualTo(idp.issuer());
        assertThat(r.subject()).isEqualTo(SUB);
      });
      assertThat(seen.get(0).time()).isEqualTo(clock.instant());
      assertThat(seen.toString()).doesNotContain(good).doesNotContain(wrongAudience);
      assertThat(admin.authenticationHistory(alice, 1)).containsExactly(seen.get(0));
      assertThat(admin.authenticationHistory(newAdmin("user:bob"), null)).isEmpty();
    }
  }

  @Test
  void theTokenExchangeFetchesKeysForEachStoredJwksSourceKind() {
    try (TestOidcIssuer idp = TestOidcIssuer.start(clock)) {
      Tenant t = tenant();
      List<IssuerInput> inputs = List.of(new IssuerInput(idp.issuer(), "discovery", null, null),
          new IssuerInput(idp.issuer(), "explicit_url", idp.jwksUri().toString(), null),
          new IssuerInput(idp.issuer(), "inline", null, idp.publishedJwks()));
      TokenExchange exchange = new TokenExchange(directory,
          new JwksCache(new HttpJwksFetcher(new IssuerUrlPolicy(true)), clock, Duration.ofMinutes(5),
              Duration.ofSeconds(30)), history, clock);

      for (IssuerInput input : inputs) {
        FederationIssuer issuer = admin.createIssuer(alice, input, null);
        FederationRule rule = admin.createRule(alice, ruleInput(issuer.id(), t, null), null);
        String assertion = idp.token(SUB, AUD).claim("environment", "prod").sign(RS256);

        assertThat(exchange.exchange(new ExchangeRequest(ExchangeRequest.JWT_BEARER, assertion, rule.id(),
            alice.organizationId(), t.workspace().id()))).as(input.jwksSource())
            .isInstanceOf(ExchangeResult.Success.class);
      }
      assertThat(admin.authenticationHistory(alice, null)).hasSize(3).allSatisfy(r -> assertThat(r.succeeded()).isTrue());
    }
  }

  @Test
  void historyLimitIsValidated() {
    assertRefused(() -> admin.authenticationHistory(alice, 0), ErrorKind.INVALID_REQUEST, "limit: 0");
    assertRefused(() -> admin.authenticationHistory(alice, 1001), ErrorKind.INVALID_REQUEST, "limit: 1001");
  }

  // --- restart ---

  @Test
  void everythingSurvivesARestart() {
    String url = kind().freshUrl();
    Tenant t;
    FederationIssuer issuer;
    FederationRule rule;
    List<Organization> organizations;
    AuthenticationRecord record;
    try (Database db = Database.open(url)) {
      admin = new AdminService(db, new AuditLog(db), new JdbcFederationDirectory(db),
          new JdbcAuthenticationHistory(db), clock);
      alice = newAdmin("user:alice");
      t = tenant();
      issuer = admin.createIssuer(alice, new IssuerInput("https://idp.example.com", null, null, null), null);
      rule = admin.createRule(alice, ruleInput(issuer.id(), t, null), null);
      record = new AuthenticationRecord(alice.organizationId(), clock.instant(), "fdrl_x", "https://i",
          "sub", FailureCause.BAD_SIGNATURE, "signature does not verify");
      new JdbcAuthenticationHistory(db).record(record);
      organizations = admin.listOrganizations(OPERATOR);
    }
    try (Database db = Database.open(url)) {
      AdminService reopened = new AdminService(db, new AuditLog(db), new JdbcFederationDirectory(db),
          new JdbcAuthenticationHistory(db), clock);
      assertThat(reopened.listOrganizations(OPERATOR)).isEqualTo(organizations);
      assertThat(reopened.listWorkspaces(alice)).containsExactly(t.workspace());
      assertThat(reopened.listServiceAccounts(alice)).containsExactly(t.account());
      assertThat(reopened.listIssuers(alice)).containsExactly(issuer);
      assertThat(reopened.listRules(alice)).containsExactly(rule);
      assertThat(reopened.authenticationHistory(alice, null)).containsExactly(record);
      assertThat(new AuditLog(db).query(alice.organizationId(), 0, 100)).hasSize(5);
    }
  }
}
