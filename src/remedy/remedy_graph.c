/*
 * Steps that run in Microsoft Graph PowerShell: the Auth certificates as
 * key credentials and the service principal names of Exchange Online.
 */
#include "msid.h"
#include "remedy_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Uploads a certificate as a key credential of the shared service
 * principal (legacy model) or of the dedicated application (appid known).
 * Graph replaces the whole collection, so the existing unexpired keys are
 * sent back with the new one.
 */
static void
cert_upload(struct ps1 *p, const struct remedy_job *j, const char *thumb,
    const char *b64, const char *which, int seen_live)
{
	const char *app = remedy_param(j, RP_APP_ID);
	const char *env = cloud_value(j->in->cloud, "hybrid_app_environment");
	char what[64];

	/*
	 * In the dedicated model the key belongs on the application; a finding
	 * about the shared service principal (auth-cert.entra) names none.
	 */
	if (app == NULL && j->in->hybrid_app_id != NULL) {
		int sp = 0;

		for (size_t i = 0; i < j->n; i++)
			sp |= strcmp(j->fd[i]->check, "auth-cert.entra") == 0;
		if (!sp)
			app = j->in->hybrid_app_id;
	}

	/*
	 * The dedicated application's keys are Microsoft's script's to keep:
	 * -UpdateCertificate reads AuthConfig's current and next certificates
	 * on the server itself, adds those the application lacks and takes
	 * them off the shared service principal. So a renewed certificate
	 * needs no file, and this runs in the Exchange Management Shell.
	 * A certificate the servers were seen publishing (onprem.metadata)
	 * is uploaded as it is: the finding is about that very certificate.
	 */
	if (app != NULL && env != NULL && !seen_live) {
		ps1_step_begin(p, PS1_ONPREM, j->r->id);
		remedy_header(p, j);
		ps1_comment(p, "Microsoft's script reads AuthConfig's current and next "
		    "certificates on this server and adds the ones the application lacks");
		ps1_code(p, "$hybridEnv = ");
		ps1_add_word(p, "hybrid_app_environment", env);
		ps1_code(p, "\n$appId = ");
		ps1_add_guid(p, "application id", app);
		ps1_code(p, "\n"
		    "$evo = @(Get-AuthServer | Where-Object { [string]$_.Type -eq 'AzureAD' -and $_.ApplicationIdentifier -eq $appId })\n"
		    "if ($evo.Count -eq 0) {\n"
		    "    Write-Warning ('no AzureAD AuthServer names the application ' + $appId + ': configure it first (hybridapp.configure)')\n"
		    "} else {\n");
		remedy_hybrid_script_lookup(p);
		ps1_code(p, "    # Microsoft's script reads the application's keys and adds only what is missing.\n"
		    "    if ($hybridScriptHere -and $PSCmdlet.ShouldProcess($appId, '" HYBRID_SCRIPT " -UpdateCertificate')) {\n"
		    "        & $hybridScript -UpdateCertificate -AzureEnvironment $hybridEnv\n"
		    "        Write-Host 'note: Exchange servers can take up to an hour to pick up the application''s new key; the verification below waits with -RetryMinutes'\n"
		    "    }\n"
		    "}\n");
		goto out;
	}
	ps1_step_begin(p, PS1_GRAPH, j->r->id);
	remedy_header(p, j);
	ps1_need_scope(p, "Application.ReadWrite.All");
	snprintf(what, sizeof(what), "the %s Auth certificate", which);
	if (b64 == NULL || thumb == NULL) {
		remedy_unfilled(p, j, b64 == NULL ? "the certificate itself (DER, base64)" :
		    "the certificate's thumbprint", strcmp(which, "next") == 0 ?
		    "--next-cert FILE (or a snapshot with the staged certificate)" :
		    "--cert FILE (or a snapshot with the Auth certificate)",
		    "Update-MgServicePrincipal -ServicePrincipalId <id> "
		    "-KeyCredentials (<existing unexpired keys> + <the certificate>)");
		goto out;
	}
	ps1_code(p, "$certB64 = ");
	ps1_add_base64(p, what, b64);
	ps1_code(p, "\n$certThumb = ");
	ps1_add_thumbprint(p, "thumbprint", thumb);
	ps1_code(p, "\n"
	    "$cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([Convert]::FromBase64String($certB64))\n"
	    "if ($cert.Thumbprint -ne $certThumb) {\n"
	    "    throw ('the certificate in this step has thumbprint ' + $cert.Thumbprint + ', expected ' + $certThumb)\n"
	    "}\n");
	if (app != NULL) {
		ps1_code(p, "$appId = ");
		ps1_add_guid(p, "application id", app);
		ps1_code(p, "\n"
		    "$target = Get-MgApplication -Filter (\"appId eq '\" + $appId + \"'\") -Property 'id,appId,displayName'\n"
		    "if ($null -eq $target) { throw ('no application with appId ' + $appId) }\n"
		    "$targetKeys = @((Get-MgApplication -ApplicationId $target.Id -Property 'keyCredentials').KeyCredentials)\n");
	} else
		ps1_code(p, "$target = Get-MgServicePrincipal -Filter \"appId eq '" MSID_EXO_APP "'\" -Property 'id,appId,displayName'\n"
		    "if ($null -eq $target) { throw 'the Exchange Online service principal was not found' }\n"
		    "$targetKeys = @((Get-MgServicePrincipal -ServicePrincipalId $target.Id -Property 'keyCredentials').KeyCredentials)\n");
	/*
	 * Graph returns a key credential's bytes only when one object is read
	 * by id with keyCredentials alone; from the query above they are null,
	 * and sending them back would drop or break the keys kept.
	 */
	ps1_code(p, "$now = (Get-Date).ToUniversalTime()\n"
	    "$have = @($targetKeys | Where-Object {\n"
	    "    ($_.CustomKeyIdentifier -and (([BitConverter]::ToString($_.CustomKeyIdentifier) -replace '-', '') -eq $certThumb)) -or\n"
	    "    ($_.StartDateTime -eq $cert.NotBefore.ToUniversalTime() -and $_.EndDateTime -eq $cert.NotAfter.ToUniversalTime())\n"
	    "})\n"
	    "if ($have.Count -gt 0) {\n"
	    "    Write-Host ('unchanged: ' + $target.DisplayName + ' already holds certificate ' + $certThumb)\n"
	    "} else {\n"
	    "    # Graph replaces the collection: send every unexpired key back with the new one.\n"
	    "    $keep = @($targetKeys | Where-Object { $_.EndDateTime -gt $now })\n"
	    "    $new = @{\n"
	    "        Type                = 'AsymmetricX509Cert'\n"
	    "        Usage               = 'Verify'\n"
	    "        Key                 = $cert.RawData\n"
	    "        CustomKeyIdentifier = $cert.GetCertHash()\n"
	    "        DisplayName         = $cert.Subject\n"
	    "        StartDateTime       = $cert.NotBefore.ToUniversalTime()\n"
	    "        EndDateTime         = $cert.NotAfter.ToUniversalTime()\n"
	    "    }\n"
	    "    if ($PSCmdlet.ShouldProcess($target.DisplayName, 'add key credential ' + $certThumb + ', keeping ' + $keep.Count + ' unexpired')) {\n");
	if (app != NULL)
		ps1_code(p, "        Update-MgApplication -ApplicationId $target.Id -KeyCredentials (@($keep) + $new)\n");
	else
		ps1_code(p, "        Update-MgServicePrincipal -ServicePrincipalId $target.Id -KeyCredentials (@($keep) + $new)\n");
	ps1_code(p, "    }\n}\n");
out:
	ps1_step_end(p);
}

void
remedy_cert_upload(struct ps1 *p, const struct remedy_job *j)
{
	const char *t = remedy_param(j, RP_THUMBPRINT), *b64 = remedy_param(j, RP_CERTIFICATE);

	/* A finding that carries the certificate (onprem.metadata) names it whole. */
	if (b64 != NULL && t != NULL) {
		cert_upload(p, j, t, b64, "current", 1);
		return;
	}
	cert_upload(p, j, t ? t : j->in->thumbprint, j->in->cert_b64, "current", 0);
}

void
remedy_cert_upload_next(struct ps1 *p, const struct remedy_job *j)
{
	const char *t = remedy_param(j, RP_NEXT_THUMBPRINT);

	/* auth-cert.next names the next certificate "thumbprint". */
	if (t == NULL)
		t = remedy_param(j, RP_THUMBPRINT);
	cert_upload(p, j, t ? t : j->in->next_thumbprint, j->in->next_cert_b64,
	    "next", 0);
}

/* Splits "a b, c" into entries, once each. */
static void
split_list(const char *s, struct strlist *out)
{
	while (s != NULL && *s) {
		size_t n;

		s += strspn(s, " ,;\t");
		n = strcspn(s, " ,;\t");
		if (n > 0) {
			char *one = xstrndup(s, n);

			if (!strlist_contains_ci(out, one))
				strlist_add_owned(out, one);
			else
				free(one);
		}
		s += n;
	}
}

void
remedy_spn_add(struct ps1 *p, const struct remedy_job *j)
{
	struct strlist want = { 0 };

	/* spn.coverage: "add" per host, "all to add" (space-separated) once. */
	for (size_t i = 0; i < j->n; i++) {
		split_list(finding_param_get(j->fd[i], RP_SPNS_ALL_TO_ADD), &want);
		split_list(finding_param_get(j->fd[i], RP_SPNS_ADD), &want);
	}
	ps1_step_begin(p, PS1_GRAPH, j->r->id);
	remedy_header(p, j);
	ps1_need_scope(p, "Application.ReadWrite.All");
	if (want.n == 0) {
		remedy_unfilled(p, j, "the host authorities to add",
		    "--host H for every published host (or a snapshot)",
		    "Update-MgServicePrincipal -ServicePrincipalId <id> "
		    "-ServicePrincipalNames (<existing> + <missing>)");
		goto out;
	}
	ps1_code(p, "$spnWanted = @(\n");
	for (size_t i = 0; i < want.n; i++) {
		ps1_code(p, "    ");
		ps1_add_spn(p, "service principal name", want.v[i]);
		ps1_code(p, "\n");
	}
	ps1_code(p, ")\n"
	    "$sp = Get-MgServicePrincipal -Filter \"appId eq '" MSID_EXO_APP "'\" -Property 'id,appId,displayName,servicePrincipalNames'\n"
	    "if ($null -eq $sp) { throw 'the Exchange Online service principal was not found' }\n"
	    "$spnHave = @($sp.ServicePrincipalNames)\n"
	    "$spnMissing = @($spnWanted | Where-Object { $spnHave -notcontains $_ })\n"
	    "if ($spnMissing.Count -eq 0) {\n"
	    "    Write-Host 'unchanged: every host authority is registered'\n"
	    "} elseif ($PSCmdlet.ShouldProcess($sp.DisplayName, 'add service principal names ' + ($spnMissing -join ', '))) {\n"
	    "    # Graph replaces the list: send the existing names with the missing ones.\n"
	    "    Update-MgServicePrincipal -ServicePrincipalId $sp.Id -ServicePrincipalNames ($spnHave + $spnMissing)\n"
	    "}\n");
out:
	ps1_step_end(p);
	strlist_release(&want);
}
