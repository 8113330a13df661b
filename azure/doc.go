// Package azure finds the Azure caches a signed-in identity can reach and tells who may use
// them, through Azure Resource Manager (ARM): enabled subscriptions, every Azure Managed Redis
// cluster with its databases and every Azure Cache for Redis instance, their data access
// policies and assignments, and a connection profile for a cache found.
//
// Requests go through azcore's pipeline (bearer token for the management plane, retries that
// honour Retry-After, azcore's logging policy, which redacts the Authorization header and
// query values). Only the fields amr-tui uses are decoded. The package has no UI dependency.
//
// Calls and API versions (the ones RedisInsight makes):
//
//	GET /subscriptions                                                   2022-12-01
//	GET /subscriptions/{s}/providers/Microsoft.Cache/redis               2024-11-01
//	GET /subscriptions/{s}/providers/Microsoft.Cache/redisEnterprise     2025-07-01
//	GET …/redisEnterprise/{c}/databases                                  2025-07-01
//	GET …/redis/{n}/accessPolicies, …/accessPolicyAssignments            2024-11-01
//	GET …/redisEnterprise/{c}/databases/{d}/accessPolicyAssignments      2026-05-01-preview
//	    (carries accessString), falling back to 2025-07-01
package azure
