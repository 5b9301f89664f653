from django.contrib import admin
from django.urls import include, path

from annotations.api.container import AnnotationContainer, AnnotationDetail

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("annotations.api.urls")),
    path("annotations/", AnnotationContainer.as_view(), name="annotation-list"),
    path("annotations/<int:pk>", AnnotationDetail.as_view(), name="annotation-detail"),
    path("", include("annotations.urls")),
]
