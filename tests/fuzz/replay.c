/*
 * Runs a fuzz target's entry point over files and directories of inputs, so
 * seed corpora and kept crash inputs are replayed in every build, with or
 * without libFuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL;
	long n;

	if (f == NULL) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		return -1;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		data = malloc((size_t)n + 1);
		if (data != NULL && fread(data, 1, (size_t)n, f) == (size_t)n) {
			fclose(f);
			LLVMFuzzerTestOneInput(data, (size_t)n);
			free(data);
			return 0;
		}
	}
	free(data);
	fclose(f);
	fprintf(stderr, "replay: cannot read '%s'\n", path);
	return -1;
}

int
main(int argc, char **argv)
{
	int count = 0, rc = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *de;

		if (stat(argv[i], &st) == -1)
			continue;	/* a target may have no kept crashes yet */
		if (!S_ISDIR(st.st_mode)) {
			rc |= replay_file(argv[i]);
			count++;
			continue;
		}
		if ((d = opendir(argv[i])) == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			char path[4096];

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			rc |= replay_file(path);
			count++;
		}
		closedir(d);
	}
	printf("replayed %d inputs\n", count);
	return rc != 0 || count == 0;
}
