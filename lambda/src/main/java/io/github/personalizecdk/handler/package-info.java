/** Custom-resource handler for Personalize datasets and dataset import and export jobs. */
package io.github.personalizecdk.handler;
